/**
 * Bounded reading for the line protocols: {@link org.postern.wire.io.WireInput} (lines that fail past their
 * limit without buffering more, exact byte transfers, buffer facts for pipelining and STARTTLS),
 * {@link org.postern.wire.io.DataReader} (SMTP DATA: dot-unstuffing, ends only at CRLF.CRLF) and
 * {@link org.postern.wire.io.MessageChecker} (size, line length, CRLF-only line endings, shared by DATA and
 * BDAT). Message bodies are streamed, never held in memory.
 */
package org.postern.wire.io;
