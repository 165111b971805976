package org.postern.server.pop3;

import java.util.Base64;

/** Messages for the independent-client tests: CRLF line ends, as {@link Pop3TestServer#deliver} takes them. */
final class InteropMessages {
    private InteropMessages() {}

    /** Every byte value, then a run that is not a multiple of 3 long: base64 padding at the end. */
    static byte[] attachment() {
        byte[] b = new byte[256 * 3 + 7];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (i * 7 + i / 256);
        for (int i = 0; i < 256; i++) b[i] = (byte) i;
        return b;
    }

    /** A multipart/mixed message: a text part with dot lines and a base64 application/octet-stream attachment. */
    static String withAttachment(String subject, byte[] data) {
        String base64 = Base64.getMimeEncoder(76, "\r\n".getBytes()).encodeToString(data);
        return "From: Alice <alice@test.example>\r\n"
                + "To: mjl@example.org\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + subject.replace(' ', '-') + "@test.example>\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/mixed; boundary=\"=-b0undary-=\"\r\n"
                + "\r\n"
                + "This is a MIME message.\r\n"
                + "--=-b0undary-=\r\n"
                + "Content-Type: text/plain; charset=us-ascii\r\n"
                + "\r\n"
                + "See the attachment.\r\n"
                + ".a line starting with a dot\r\n"
                + "..\r\n"
                + ".\r\n"
                + "--=-b0undary-=\r\n"
                + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + base64 + "\r\n"
                + "--=-b0undary-=--\r\n";
    }

    /** A short text message whose body has lines that need dot-stuffing. */
    static String plain(String subject) {
        return "From: Alice <alice@test.example>\r\nTo: mjl@example.org\r\nSubject: " + subject + "\r\n\r\n"
                + "Hello,\r\n.leading dot\r\n..two dots\r\n.\r\nFrom the start of a line\r\n-- \r\nalice\r\n";
    }
}
