package org.postern.client.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.postern.client.net.Endpoint.Security;

class PasswordsTest {
    @TempDir
    Path dir;

    private Path file(String name, String content, String mode) throws IOException {
        Path f = Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString(mode));
        return f;
    }

    @Test
    void passwordFileOwnerOnlyGivesItsFirstLine() throws IOException {
        record Case(String content, String mode, String password) {}
        for (Case c : List.of(new Case("s3cret\n", "rw-------", "s3cret"), new Case("s3cret\r\nsecond\n", "r--------", "s3cret"),
                new Case("no newline", "rw-------", "no newline"), new Case("pässwörd\n", "rw-------", "pässwörd"))) {
            assertThat(Passwords.fromFile("a", file("pw", c.content(), c.mode())).reveal()).as(c.toString()).isEqualTo(c.password());
        }
    }

    @Test
    void passwordFileOthersCanReadIsRefusedWithTheFix() throws IOException {
        for (String mode : List.of("rw-r-----", "rw----r--", "rw-rw-rw-", "rw-----w-")) {
            Path f = file("pw", "s3cret\n", mode);
            assertThatThrownBy(() -> Passwords.fromFile("work", f)).as(mode)
                    .isInstanceOf(AccountException.class)
                    .hasMessageStartingWith("account work: password file " + f + " can be read by others (mode 0")
                    .hasMessageEndingWith("; make it yours alone: chmod 600 " + f);
        }
    }

    @Test
    void passwordFileProblemsAreClear() throws IOException {
        record Case(Path file, String message) {}
        Path empty = file("empty", "\n", "rw-------");
        Path missing = dir.resolve("missing");
        Path binary = Files.write(dir.resolve("bin"), new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rw-------"));
        for (Case c : List.of(
                new Case(empty, "account a: password file " + empty + ": the first line is empty (it should be the password)"),
                new Case(missing, "account a: password file " + missing + " does not exist"),
                new Case(binary, "account a: password file " + binary + ": the password is not UTF-8"))) {
            assertThatThrownBy(() -> Passwords.fromFile("a", c.file())).hasMessage(c.message());
        }
    }

    @Test
    void passwordAtTheByteLimitIsReadAndOneByteMoreIsRefused() throws IOException {
        String max = "x".repeat(Passwords.MAX_BYTES);
        assertThat(Passwords.fromFile("a", file("max", max + "\n", "rw-------")).reveal()).isEqualTo(max);
        Path over = file("over", max + "x\n", "rw-------");
        assertThatThrownBy(() -> Passwords.fromFile("a", over)).hasMessageContaining("first line longer than 4096 bytes");
    }

    @Test
    void passwordCommandOutputAtTheByteLimitIsReadAndOneByteMoreIsRefused() {
        String max = "x".repeat(Passwords.MAX_BYTES);
        assertThat(Passwords.fromCommand("a", "head -c " + Passwords.MAX_BYTES + " /dev/zero | tr '\\0' x").reveal())
                .isEqualTo(max);
        assertThatThrownBy(() -> Passwords.fromCommand("a", "head -c " + (Passwords.MAX_BYTES + 1) + " /dev/zero | tr '\\0' x"))
                .isInstanceOf(AccountException.class)
                .hasMessage("account a: password_command output: first line longer than 4096 bytes");
        // far more than a pipe holds, in one line: still that sentence, not the exit status of a command killed by
        // the pipe being closed under it
        assertThatThrownBy(() -> Passwords.fromCommand("a", "head -c 1000000 /dev/zero | tr '\\0' x"))
                .isInstanceOf(AccountException.class)
                .hasMessage("account a: password_command output: first line longer than 4096 bytes");
    }

    @Test
    void passwordCommandGivesItsFirstLineOrSaysWhyNot() {
        assertThat(Passwords.fromCommand("a", "printf 'from-cmd\\nignored\\n'").reveal()).isEqualTo("from-cmd");
        assertThat(Passwords.fromCommand("a", "yes 2>/dev/null | head -c 200000").reveal()).isEqualTo("y");
        assertThatThrownBy(() -> Passwords.fromCommand("a", "echo 'no such entry' >&2; exit 3"))
                .isInstanceOf(AccountException.class)
                .hasMessage("account a: password_command failed (exit 3): no such entry");
        // a background child holding the output open does not keep the password from being used
        assertThat(Passwords.fromCommand("a", "echo pw-bg; sleep 30 &").reveal()).isEqualTo("pw-bg");
        assertThatThrownBy(() -> Passwords.fromCommand("a", "true"))
                .hasMessage("account a: password_command output: the first line is empty (it should be the password)");
    }

    @Test
    void promptAsksTheTerminalAndFailsClearlyWithoutOne() throws IOException {
        Account a = new Account("work", "me@example.org", Protocol.IMAP,
                new ServerSettings("h", 993, Security.IMPLICIT_TLS, "me"), new ServerSettings("h", 465, Security.IMPLICIT_TLS, "me"),
                new PasswordSource.Prompt(), false, OptionalInt.empty());
        List<String> asked = new java.util.ArrayList<>();
        assertThat(Passwords.obtain(a, Optional.of(p -> { asked.add(p); return Optional.of("typed".toCharArray()); })).reveal())
                .isEqualTo("typed");
        assertThat(asked).containsExactly("Password for me (account work): ");
        assertThatThrownBy(() -> Passwords.obtain(a, Optional.empty())).hasMessage(
                "account work: no terminal to ask for the password; set password_file or password_command in accounts.toml");
        assertThatThrownBy(() -> Passwords.obtain(a, Optional.of(p -> Optional.empty())))
                .hasMessage("account work: no password given");
    }

    @Test
    void aPasswordCommandThatDoesNotFinishIsStoppedWithAClearError() {
        assertThatThrownBy(() -> Passwords.fromCommand("a", "sleep 60", java.time.Duration.ofSeconds(1)))
                .isInstanceOf(AccountException.class)
                .hasMessage("account a: password_command did not finish within 1 seconds");
        // (had the command been waited for, it would have ended after 60 s with no output: a different error)
    }
}
