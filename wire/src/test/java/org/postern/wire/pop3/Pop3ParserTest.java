package org.postern.wire.pop3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.postern.wire.pop3.Pop3Command.*;

class Pop3ParserTest {
    record Case(String line, Pop3Command expected) {}

    /** A line the parser must refuse, and whether it is refused as an unknown keyword. */
    record Bad(String line, boolean unknown) {}

    private static final int MAX = Integer.MAX_VALUE;

    @Test
    void parsesEveryCommandWithValidArguments() {
        for (var c : List.of(
                new Case("USER mjl@example.org", new User("mjl@example.org")),
                new Case("USER jösé@example.org", new User("jösé@example.org")),   // UTF-8 names (RFC 6856 §3)
                new Case("APOP mjl c4c9334bac560ecc979e58001b3e22fb", new Apop("mjl")),
                new Case("AUTH", new Auth(Optional.empty(), Optional.empty())),
                new Case("AUTH PLAIN", new Auth(Optional.of("PLAIN"), Optional.empty())),
                new Case("AUTH PLAIN AG1qbEBleGFtcGxlLm9yZwBzZWNyZXQ=",
                        new Auth(Optional.of("PLAIN"), Optional.of("AG1qbEBleGFtcGxlLm9yZwBzZWNyZXQ="))),
                new Case("AUTH PLAIN =", new Auth(Optional.of("PLAIN"), Optional.of("="))),   // RFC 5034 §4: empty
                new Case("AUTH CRAM-MD5", new Auth(Optional.of("CRAM-MD5"), Optional.empty())),
                new Case("STLS", new Stls()),
                new Case("CAPA", new Capa()),
                new Case("STAT", new Stat()),
                new Case("LIST", new Pop3Command.List(OptionalInt.empty())),
                new Case("LIST 1", new Pop3Command.List(OptionalInt.of(1))),
                new Case("RETR 1", new Retr(1)),
                new Case("RETR 007", new Retr(7)),
                new Case("DELE 12", new Dele(12)),
                new Case("NOOP", new Noop()),
                new Case("RSET", new Rset()),
                new Case("QUIT", new Quit()),
                new Case("TOP 1 0", new Top(1, 0)),   // RFC 1939 §7: "a non-negative number"
                new Case("TOP 3 10", new Top(3, 10)),
                new Case("UIDL", new Uidl(OptionalInt.empty())),
                new Case("UIDL 2", new Uidl(OptionalInt.of(2))))) {
            assertThat(Pop3Parser.parse(c.line())).as(c.line()).isEqualTo(c.expected());
        }
    }

    @Test
    void keywordsAreCaseInsensitiveAndSoIsTheAuthMechanism() {
        for (var c : List.of(
                new Case("stat", new Stat()),
                new Case("StAt", new Stat()),
                new Case("retr 1", new Retr(1)),
                new Case("top 1 2", new Top(1, 2)),
                new Case("uidl", new Uidl(OptionalInt.empty())),
                new Case("capa", new Capa()),
                new Case("stls", new Stls()),
                new Case("quit", new Quit()),
                new Case("user Mjl@Example.org", new User("Mjl@Example.org")),   // the argument keeps its case
                new Case("auth plain", new Auth(Optional.of("PLAIN"), Optional.empty())),
                new Case("auth Plain dGVzdA==", new Auth(Optional.of("PLAIN"), Optional.of("dGVzdA=="))))) {
            assertThat(Pop3Parser.parse(c.line())).as(c.line()).isEqualTo(c.expected());
        }
    }

    @Test
    void extraAndTrailingSpacesBetweenArgumentsAreTolerated() {
        for (var c : List.of(
                new Case("STAT ", new Stat()),
                new Case("STAT   ", new Stat()),
                new Case("LIST  1", new Pop3Command.List(OptionalInt.of(1))),
                new Case("LIST 1 ", new Pop3Command.List(OptionalInt.of(1))),
                new Case("LIST ", new Pop3Command.List(OptionalInt.empty())),
                new Case("TOP  1   5  ", new Top(1, 5)),
                new Case("RETR   2", new Retr(2)),
                new Case("USER  mjl@example.org ", new User("mjl@example.org")),
                new Case("AUTH  PLAIN  dGVzdA==", new Auth(Optional.of("PLAIN"), Optional.of("dGVzdA=="))),
                new Case("UIDL 3  ", new Uidl(OptionalInt.of(3))))) {
            assertThat(Pop3Parser.parse(c.line())).as(c.line()).isEqualTo(c.expected());
        }
    }

    @Test
    void passTakesTheWholeRestOfTheLineSpacesIncluded() {
        // RFC 1939 §7, the note to PASS: the server may treat spaces in the argument as part of the password
        record PassCase(String line, String password) {}
        for (var c : List.of(
                new PassCase("PASS secret", "secret"),
                new PassCase("pass secret", "secret"),
                new PassCase("PASS secret pass", "secret pass"),
                new PassCase("PASS  leading", " leading"),
                new PassCase("PASS trailing ", "trailing "),
                new PassCase("PASS a  b   c", "a  b   c"),
                new PassCase("PASS  ", " "),
                new PassCase("PASS pässwörd", "pässwörd"))) {
            Pop3Command cmd = Pop3Parser.parse(c.line());
            assertThat(cmd).as(c.line()).isInstanceOf(Pass.class);
            assertThat(((Pass) cmd).password().reveal()).as(c.line()).isEqualTo(c.password());
        }
    }

    @Test
    void thePasswordNeverAppearsInTheCommandsText() {
        Pop3Command cmd = Pop3Parser.parse("PASS hunter2");
        assertThat(cmd.toString()).doesNotContain("hunter2");
        assertThat(cmd.verb()).isEqualTo("PASS");
    }

    @Test
    void messageNumbersTooLargeForAnIntBecomeIntegerMaxValueWhichNoMaildropReaches() {
        for (var c : List.of(
                new Case("RETR 2147483646", new Retr(MAX - 1)),
                new Case("RETR 2147483647", new Retr(MAX)),
                new Case("RETR 2147483648", new Retr(MAX)),
                new Case("DELE 4294967297", new Dele(MAX)),   // 2^32 + 1 must not wrap around to 1
                new Case("LIST 99999999999999999999", new Pop3Command.List(OptionalInt.of(MAX))),
                new Case("UIDL 18446744073709551617", new Uidl(OptionalInt.of(MAX))),   // 2^64 + 1
                new Case("TOP 1 2147483648", new Top(1, MAX)),
                new Case("TOP 99999999999 99999999999", new Top(MAX, MAX)),
                new Case("RETR " + "9".repeat(100), new Retr(MAX)),
                new Case("RETR " + "9".repeat(500), new Retr(MAX)),
                new Case("RETR " + "0".repeat(300) + "1", new Retr(1)))) {
            assertThat(Pop3Parser.parse(c.line())).as(c.line()).isEqualTo(c.expected());
        }
    }

    @Test
    void invalidArgumentsAreRefusedAsSyntaxErrorsOfAKnownCommand() {
        for (String line : List.of(
                "USER", "USER ", "USER a b",
                "PASS", "PASS ",
                "APOP", "APOP mjl", "APOP mjl digest extra",
                "AUTH PLAIN a b",
                "STLS now", "CAPA please", "STAT 1", "NOOP 1", "RSET all", "QUIT now",
                "LIST 1 2", "LIST x", "LIST -1", "LIST +1", "LIST 1x", "LIST 0x1",
                "UIDL 1 2", "UIDL abc",
                "RETR", "RETR 1 2", "RETR -1", "RETR +1", "RETR one", "RETR 1.0", "RETR ١",   // Arabic-Indic one
                "RETR 0", "RETR 00", "DELE 0", "LIST 0", "UIDL 0", "TOP 0 1",   // RFC 1939 §5: numbers start at 1
                "DELE", "DELE x",
                "TOP", "TOP 1", "TOP 1 2 3", "TOP 1 -1", "TOP x 1", "TOP 1 x", "TOP 1 +1")) {
            var e = catchThrowableOfType(Pop3SyntaxException.class, () -> Pop3Parser.parse(line));
            assertThat(e).as(line).isNotNull();
            assertThat(e.unknownCommand()).as(line).isFalse();
            assertThat(e.getMessage()).as(line).isNotBlank();
        }
    }

    @Test
    void unknownKeywordsAreFlaggedAsUnknown() {
        for (String line : List.of(
                "XYZZY", "HELO example.org", "EHLO example.org", "GET / HTTP/1.1", "a1 LOGIN mjl secret",
                "LAST", "RPOP mjl", "UTF8", "LANG", "XTND XMIT",
                "", " ", " STAT", "STATS", "STA", "RETR1", "TOP1 1",
                // non-ASCII letters whose upper case is ASCII must not make a keyword
                "ſtat", "lıst", "uſer mjl", "quıt")) {
            var e = catchThrowableOfType(Pop3SyntaxException.class, () -> Pop3Parser.parse(line));
            assertThat(e).as(line).isNotNull();
            assertThat(e.unknownCommand()).as(line).isTrue();
        }
    }

    @Test
    void theAuthMechanismIsUpperCasedOnlyInAscii() {
        // "plaın" (dotless i) must not become PLAIN
        assertThat(Pop3Parser.parse("AUTH plaın")).isEqualTo(new Auth(Optional.of("PLAıN"), Optional.empty()));
    }

    @Test
    void controlCharactersAnywhereInTheLineAreRefused() {
        for (String line : List.of(
                "STAT\0", "NOOP\r", "\rSTAT", "RETR\t1", "RETR 1\u0007", "USER mjl\u001b[31m",
                "PASS sec\0ret", "PASS secret\r\nDELE 1", "USER a\nDELE 1", "LIST\u007f",
                "USER \uFFFD",   // what WireInput makes of invalid UTF-8
                "AUTH PLAIN dGVzdA==\u0000")) {
            var e = catchThrowableOfType(Pop3SyntaxException.class, () -> Pop3Parser.parse(line));
            assertThat(e).as(line.replace("\r", "\\r").replace("\n", "\\n")).isNotNull();
            assertThat(e.unknownCommand()).as(line).isFalse();
            assertThat(e.getMessage()).isEqualTo("control characters in command");
        }
    }

    @Test
    void verbIsTheKeywordNeverAnArgument() {
        assertThat(Pop3Parser.parse("USER mjl@example.org").verb()).isEqualTo("USER");
        assertThat(Pop3Parser.parse("top 1 2").verb()).isEqualTo("TOP");
        assertThat(Pop3Parser.parse("AUTH PLAIN dGVzdA==").verb()).isEqualTo("AUTH");
    }

    @Test
    void replyTextCannotBecomeTwoLines() {
        assertThat(Pop3Reply.err("a\r\n+OK b").encode()).isEqualTo("-ERR a  +OK b\r\n");
        assertThat(Pop3Reply.err(Pop3Reply.AUTH, "wrong").encode()).isEqualTo("-ERR [AUTH] wrong\r\n");
        assertThat(Pop3Reply.ok("").encode()).isEqualTo("+OK\r\n");
    }
}
