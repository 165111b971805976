/**
 * IMAP4rev2/rev1 grammar: command parsing and response writing.
 */
package org.postern.wire.imap;
