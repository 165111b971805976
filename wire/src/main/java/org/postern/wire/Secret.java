package org.postern.wire;

import java.util.Arrays;

/** A password or other secret: {@link #toString()} never shows it, so records and logs cannot leak it. */
public final class Secret {
    private final char[] value;

    public Secret(char[] value) {
        this.value = value.clone();
    }

    public static Secret of(String s) {
        return new Secret(s.toCharArray());
    }

    public char[] chars() {
        return value.clone();
    }

    public String reveal() {
        return new String(value);
    }

    public boolean isEmpty() {
        return value.length == 0;
    }

    /** Overwrites the characters. */
    public void wipe() {
        Arrays.fill(value, '\0');
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && java.security.MessageDigest.isEqual(
                new String(value).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                new String(s.value).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Override
    public int hashCode() {
        return 0;
    }

    @Override
    public String toString() {
        return "***";
    }
}
