package org.postern.wire.mime;

import java.util.ArrayList;
import java.util.List;

/** One part while it is being parsed: mutable, on the parser's stack until its end is known. */
final class PartBuilder {
    enum State {
        /** Reading the part's header block. */
        HEADER,
        /** A leaf body: lines are content. */
        BODY,
        /** A multipart body: preamble, then parts between its delimiters. */
        MULTIPART,
        /** After a multipart's close delimiter: lines are epilogue. */
        EPILOGUE,
        /** A message/rfc822 body: the encapsulated message's root sits above this on the stack. */
        MESSAGE
    }

    final long headerStart;
    final int depth;
    /** A message header (the message or an encapsulated one): envelope fields count, text goes to search. */
    final boolean messageHeader;
    final boolean inDigest;
    final HeaderValues values = new HeaderValues();

    State state = State.HEADER;
    long bodyStart;
    /** Line endings seen before bodyStart, to count the body's lines at the end. */
    long lineEndingsBeforeBody;
    /** Header fields of this block are no longer kept ({@link MimeLimits#MAX_HEADER_BYTES}). */
    boolean headerFull;
    ContentFields content = ContentFields.DEFAULT;
    Envelope envelope = Envelope.EMPTY;
    byte[] boundary;
    final List<Part> children = new ArrayList<>(0);
    EncapsulatedMessage message;
    TextExtractor text;

    PartBuilder(long headerStart, int depth, boolean messageHeader, boolean inDigest) {
        this.headerStart = headerStart;
        this.depth = depth;
        this.messageHeader = messageHeader;
        this.inDigest = inDigest;
    }

    /** The delimiter kind of a complete line against this multipart's boundary: 0 none, 1 open, 2 close. */
    int delimiter(byte[] b, int s, int len) {
        byte[] bd = boundary;
        int bl = bd.length;
        if (len < 2 + bl) return 0;
        for (int k = 0; k < bl; k++) if (b[s + 2 + k] != bd[k]) return 0;
        int p = s + 2 + bl;
        int end = s + len;
        int kind = 1;
        if (p + 1 < end && b[p] == '-' && b[p + 1] == '-') {
            kind = 2;
            p += 2;
        }
        while (p < end && (b[p] == ' ' || b[p] == '\t')) p++; // RFC 2046 §5.1.1: transport padding
        return p == end ? kind : 0;
    }
}
