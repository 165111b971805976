package org.postern.wire.sasl;

import org.postern.wire.Secret;

/** A user name and password from PLAIN or LOGIN; {@code toString()} never shows the password. */
public record Credentials(String username, Secret password) {}
