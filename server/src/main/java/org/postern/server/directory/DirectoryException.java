package org.postern.server.directory;

/** An admin request that cannot be done, with a message for the person who asked (unknown domain, duplicate…). */
public final class DirectoryException extends RuntimeException {
    public DirectoryException(String message) {
        super(message);
    }
}
