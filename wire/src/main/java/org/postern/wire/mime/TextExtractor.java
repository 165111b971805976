package org.postern.wire.mime;

/**
 * Decodes one text part for search: transfer encoding (base64, quoted-printable, else as is), then the
 * charset, then HTML stripping for text/html. Keeps at most {@link MimeLimits#MAX_TEXT_PART_BYTES} decoded
 * bytes; the rest of the part is skipped.
 */
final class TextExtractor {
    private final String encoding;
    private final String charset;
    private final boolean html;
    private final ByteBuf out = new ByteBuf(512);
    private final int max = MimeLimits.MAX_TEXT_PART_BYTES;
    private final Base64Decoder base64;
    private final QuotedPrintableDecoder qp;

    TextExtractor(ContentFields content) {
        this.encoding = content.encoding();
        this.charset = content.param("charset").orElse("");
        this.html = content.subtype().equals("html");
        this.base64 = encoding.equals("base64") ? new Base64Decoder() : null;
        this.qp = encoding.equals("quoted-printable") ? new QuotedPrintableDecoder() : null;
    }

    void feed(byte[] b, int off, int len) {
        if (out.size() >= max) return;
        if (base64 != null) base64.decode(b, off, len, out, max);
        else if (qp != null) qp.decode(b, off, len, out, max);
        else out.append(b, off, Math.min(len, max - out.size()));
    }

    void endLine(boolean terminated) {
        if (base64 != null) return;
        if (qp != null) qp.endLine(terminated, out, max);
        else if (terminated && out.size() < max) out.append('\n');
    }

    String finish() {
        String text = Charsets.decodeText(out.array(), 0, out.size(), charset);
        return html ? HtmlText.strip(text) : text;
    }

    @Override
    public String toString() {
        return "TextExtractor[" + encoding + ", " + charset + "]";
    }
}
