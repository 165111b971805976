package org.postern.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.postern.server.directory.Passwords;
import org.postern.wire.Secret;

/**
 * Reads a new password: asked twice on the terminal (no echo), or the first line of standard input when that
 * is not a terminal (scripts: {@code echo pw | postern user add …}). Never from the command line, where
 * {@code ps} and shell history would show it.
 */
final class PasswordInput {
    /** Bytes read from standard input at most: {@link Passwords#MAX_LENGTH} characters of up to 4 UTF-8 bytes. */
    static final int MAX_LINE_BYTES = Passwords.MAX_LENGTH * 4 + 2;

    private PasswordInput() {}

    static Secret read(Invocation inv, String address) {
        if (inv.terminal().isPresent()) return ask(inv.terminal().get(), address);
        return firstLine(inv.stdin());
    }

    private static Secret ask(Invocation.Terminal terminal, String address) {
        char[] first = terminal.readPassword("Password for " + address + ": ")
                .orElseThrow(() -> new CliException("no password given"));
        char[] second = terminal.readPassword("Repeat the password: ")
                .orElseThrow(() -> new CliException("no password given"));
        try {
            if (!Arrays.equals(first, second)) throw new CliException("the passwords do not match: nothing changed");
            return new Secret(first);
        } finally {
            Arrays.fill(first, '\0');
            Arrays.fill(second, '\0');
        }
    }

    private static Secret firstLine(InputStream in) {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        boolean any = false;
        try {
            for (int b; (b = in.read()) >= 0; ) {
                any = true;
                if (b == '\n') break;
                if (line.size() == MAX_LINE_BYTES)
                    throw new CliException("the password on standard input is longer than " + Passwords.MAX_LENGTH
                            + " characters");
                line.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!any)
            throw new CliException("no password: type it at a terminal, or give it as the first line of standard input");
        byte[] bytes = line.toByteArray();
        int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            Secret s = new Secret(out);
            Arrays.fill(out, '\0');
            if (chars.hasArray()) Arrays.fill(chars.array(), '\0');
            return s;
        } catch (CharacterCodingException e) {
            throw new CliException("the password on standard input is not UTF-8");
        } finally {
            Arrays.fill(bytes, (byte) 0);
        }
    }
}
