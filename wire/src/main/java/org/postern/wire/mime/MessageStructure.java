package org.postern.wire.mime;

/**
 * PLACEHOLDER owned by the MIME work: what IMAP needs of a message, parsed once at delivery.
 * encode()/decode() give the compact storage form.
 */
public record MessageStructure(long size) {
    public byte[] encode() {
        return java.nio.ByteBuffer.allocate(8).putLong(size).array();
    }

    public static MessageStructure decode(byte[] b) {
        return new MessageStructure(java.nio.ByteBuffer.wrap(b).getLong());
    }
}
