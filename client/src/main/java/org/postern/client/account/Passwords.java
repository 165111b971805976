package org.postern.client.account;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.postern.wire.Secret;

/**
 * Gets an account's password from its {@link PasswordSource}. The password is returned as a {@link Secret} (never
 * printed) and every buffer that held it is wiped.
 */
public final class Passwords {
    /** Longest password read, in bytes: far beyond any real one, and a file or command that gives more is wrong. */
    public static final int MAX_BYTES = 4096;
    /**
     * How long a password command may run: long enough for a person to answer a gpg-agent or keyring dialog,
     * short enough that a command waiting for input that never comes does not hang a sync for ever.
     */
    public static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(2);
    /** How long the output is still read after the command ended (a background child may hold the pipe). */
    static final Duration PIPE_GRACE = Duration.ofSeconds(2);
    /** What a command may write on standard error that is kept for the error message. */
    static final int MAX_STDERR_BYTES = 2048;

    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    /** Asks a person for a password without echo; empty when they gave none (end of input). */
    @FunctionalInterface
    public interface Prompter {
        Optional<char[]> readPassword(String prompt);
    }

    private Passwords() {}

    /** The password of {@code account}; {@code terminal} empty when there is nobody to ask. */
    public static Secret obtain(Account account, Optional<Prompter> terminal) {
        return switch (account.password()) {
            case PasswordSource.File f -> fromFile(account.name(), f.path());
            case PasswordSource.Command c -> fromCommand(account.name(), c.command());
            case PasswordSource.Prompt p -> {
                Prompter t = terminal.orElseThrow(() -> new AccountException("account " + account.name()
                        + ": no terminal to ask for the password; set password_file or password_command in accounts.toml"));
                char[] typed = t.readPassword("Password for " + account.incoming().user() + " (account " + account.name() + "): ")
                        .orElseThrow(() -> new AccountException("account " + account.name() + ": no password given"));
                try {
                    if (typed.length == 0) throw new AccountException("account " + account.name() + ": empty password");
                    yield new Secret(typed);
                } finally {
                    Arrays.fill(typed, '\0');
                }
            }
        };
    }

    /** The first line of {@code file}, which only its owner may read (mode 0600 or 0400). */
    public static Secret fromFile(String account, Path file) {
        try {
            PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
            if (posix != null) {
                Set<PosixFilePermission> perms = posix.readAttributes().permissions();
                if (perms.stream().anyMatch(OTHERS::contains)) {
                    throw new AccountException("account " + account + ": password file " + file + " can be read by "
                            + "others (mode " + mode(perms) + "); make it yours alone: chmod 600 " + file);
                }
            }
            if (!Files.isRegularFile(file))
                throw new AccountException("account " + account + ": password file " + file + " is not a regular file");
            try (InputStream in = Files.newInputStream(file)) {
                return firstLine(in, "account " + account + ": password file " + file);
            }
        } catch (NoSuchFileException e) {
            throw new AccountException("account " + account + ": password file " + file + " does not exist");
        } catch (AccessDeniedException e) {
            throw new AccountException("account " + account + ": cannot read password file " + file + " (permission denied)");
        } catch (IOException e) {
            throw new AccountException("account " + account + ": cannot read password file " + file + ": " + e.getMessage());
        }
    }

    /** The first line {@code sh -c command} writes; a nonzero exit, no output or a timeout is an error. */
    public static Secret fromCommand(String account, String command) {
        return fromCommand(account, command, COMMAND_TIMEOUT);
    }

    static Secret fromCommand(String account, String command, Duration timeout) {
        String what = "account " + account + ": password_command";
        Process p;
        try {
            p = new ProcessBuilder("sh", "-c", command).redirectInput(ProcessBuilder.Redirect.INHERIT).start();
        } catch (IOException e) {
            throw new AccountException(what + " could not be started: " + e.getMessage());
        }
        // stdout and stderr are read on their own threads: the wait below is then the only place that can block,
        // so a command that never writes (or never closes its output) is still stopped at the timeout.
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        Thread errReader = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), stderr));
        AtomicReference<Secret> secret = new AtomicReference<>();
        AtomicReference<AccountException> failure = new AtomicReference<>();
        Thread outReader = Thread.ofVirtual().start(() -> {
            try (InputStream out = p.getInputStream()) {
                try {
                    secret.set(firstLine(out, what + " output"));
                } catch (AccountException e) {
                    failure.set(e);
                }
                // The rest is read, after a bad first line too: the command is never killed by SIGPIPE from a pipe
                // closed early, so its exit status is its own and a first line too long is reported as that.
                out.transferTo(java.io.OutputStream.nullOutputStream());
            } catch (IOException e) {
                failure.compareAndSet(null, new AccountException(what + ": cannot read its output: " + e.getMessage()));
            }
        });
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                outReader.join(PIPE_GRACE);
                wipe(secret.get());
                throw new AccountException(what + " did not finish within " + timeout.toSeconds() + " seconds");
            }
            // A background child of the command may keep the pipes open after the command ended: the first line is
            // all we need, so the readers are not waited for past the grace (they end when the child does).
            outReader.join(PIPE_GRACE);
            errReader.join(PIPE_GRACE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            wipe(secret.get());
            throw new AccountException(what + " interrupted");
        }
        if (p.exitValue() != 0) {
            wipe(secret.get());
            String err;
            synchronized (stderr) {
                err = lastLine(stderr);
            }
            throw new AccountException(what + " failed (exit " + p.exitValue() + ")" + (err.isEmpty() ? "" : ": " + err));
        }
        if (failure.get() != null) {
            wipe(secret.get());
            throw failure.get();
        }
        if (secret.get() == null) throw new AccountException(what + ": its output did not end (a first line with no end)");
        return secret.get();
    }

    private static void wipe(Secret s) {
        if (s != null) s.wipe();
    }

    private static void drain(InputStream in, ByteArrayOutputStream keep) {
        byte[] buf = new byte[512];
        try (in) {
            for (int n; (n = in.read(buf)) > 0; ) {
                synchronized (keep) {
                    if (keep.size() < MAX_STDERR_BYTES) keep.write(buf, 0, Math.min(n, MAX_STDERR_BYTES - keep.size()));
                }
            }
        } catch (IOException ignored) {
            // the process went away; what it wrote so far is kept
        }
    }

    private static String lastLine(ByteArrayOutputStream err) {
        String s = err.toString(StandardCharsets.UTF_8).strip();
        int nl = s.lastIndexOf('\n');
        return (nl < 0 ? s : s.substring(nl + 1)).replaceAll("\\p{Cntrl}", " ").strip();
    }

    /**
     * The first line of {@code in} (LF or CRLF ended, or the whole input without one), UTF-8, at most
     * {@link #MAX_BYTES} bytes; empty is an error.
     */
    static Secret firstLine(InputStream in, String what) throws IOException {
        byte[] line = new byte[MAX_BYTES];
        int n = 0;
        try {
            for (int b; (b = in.read()) >= 0 && b != '\n'; ) {
                if (n == MAX_BYTES) throw new AccountException(what + ": first line longer than " + MAX_BYTES + " bytes");
                line[n++] = (byte) b;
            }
            if (n > 0 && line[n - 1] == '\r') n--;
            if (n == 0) throw new AccountException(what + ": the first line is empty (it should be the password)");
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line, 0, n));
            char[] out = new char[chars.remaining()];
            chars.get(out);
            try {
                return new Secret(out);
            } finally {
                Arrays.fill(out, '\0');
                if (chars.hasArray()) Arrays.fill(chars.array(), '\0');
            }
        } catch (CharacterCodingException e) {
            throw new AccountException(what + ": the password is not UTF-8");
        } finally {
            Arrays.fill(line, (byte) 0);
        }
    }

    private static String mode(Set<PosixFilePermission> perms) {
        int m = 0;
        for (PosixFilePermission p : perms) m |= 1 << (8 - p.ordinal());
        return String.format("%04o", m);
    }
}
