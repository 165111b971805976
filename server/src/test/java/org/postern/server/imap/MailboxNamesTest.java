package org.postern.server.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.postern.server.store.MailboxName;
import org.postern.wire.imap.ModifiedUtf7;

/** Mailbox names from and to the wire: modified UTF-7 or UTF-8, and the names refused (RFC 9051 §5.1, RFC 6855 §3). */
class MailboxNamesTest {
    private static final boolean MUTF7 = false;
    private static final boolean UTF8 = true;

    private record Valid(String wire, boolean utf8, String stored) {}

    private record Invalid(String wire, boolean utf8, String message) {}

    @Test
    void acceptsNames() {
        String longest = "x".repeat(MailboxName.MAX_LENGTH);
        String longestUmlauts = "ä".repeat(MailboxName.MAX_LENGTH);
        for (Valid c : List.of(
                new Valid("Entw&APw-rfe", MUTF7, "Entwürfe"),
                new Valid("Entwürfe", UTF8, "Entwürfe"),
                new Valid("&ZeVnLIqe-", MUTF7, "日本語"),
                new Valid("Work/Entw&APw-rfe", MUTF7, "Work/Entwürfe"),
                new Valid("a&-b", MUTF7, "a&b"),
                new Valid("a&-b", UTF8, "a&-b"),                      // UTF-8: "&" is just a character
                new Valid("inbox", MUTF7, "INBOX"),
                new Valid("InBoX", UTF8, "INBOX"),
                new Valid("inbox/Sub", MUTF7, "INBOX/Sub"),
                new Valid("Inboxes", MUTF7, "Inboxes"),               // not INBOX: case kept
                new Valid("with space", MUTF7, "with space"),
                new Valid("\uD83D\uDE00", UTF8, "\uD83D\uDE00"),       // a supplementary character
                new Valid(longest, MUTF7, longest),                      // at the limit
                new Valid(longestUmlauts, UTF8, longestUmlauts),
                new Valid(ModifiedUtf7.encode(longestUmlauts), MUTF7, longestUmlauts))) {   // limit counts decoded
            assertThat(fromClient(c.wire(), c.utf8())).as(c.wire()).isEqualTo(c.stored());
        }
    }

    @Test
    void refusesNamesWithASentence() {
        for (Invalid c : List.of(
                new Invalid("", MUTF7, "Mailbox name is empty."),
                new Invalid("x".repeat(MailboxName.MAX_LENGTH + 1), MUTF7, "Mailbox name is longer than 1000 characters."),
                new Invalid("ä".repeat(MailboxName.MAX_LENGTH + 1), UTF8, "Mailbox name is longer than 1000 characters."),
                new Invalid(ModifiedUtf7.encode("ä".repeat(MailboxName.MAX_LENGTH + 1)), MUTF7,
                        "Mailbox name is longer than 1000 characters."),
                new Invalid("Entwürfe", MUTF7,
                        "Mailbox name is not valid modified UTF-7 (character 0xfc must be in a shift sequence)."),
                new Invalid("&AOQ-&AOQ-", MUTF7, "Mailbox name is not valid modified UTF-7 (adjacent shift sequences)."),
                new Invalid("&AGE-", MUTF7, "Mailbox name is not valid modified UTF-7 (encoded printable character 'a')."),
                new Invalid("a&Jjo", MUTF7, "Mailbox name is not valid modified UTF-7 (unterminated shift sequence)."),
                new Invalid("a\u0001b", UTF8, "Mailbox name contains a control character."),
                new Invalid("&AAE-", MUTF7, "Mailbox name contains a control character."),        // U+0001 encoded
                new Invalid("a\u007Fb", UTF8, "Mailbox name contains a control character."),
                new Invalid("a\u0085b", UTF8, "Mailbox name contains a control character."),       // C1 (RFC 6855 §3)
                new Invalid("&AIU-", MUTF7, "Mailbox name contains a control character."),
                new Invalid("a\u2028b", UTF8, "Mailbox name contains a line or paragraph separator."),
                new Invalid("a\u2029b", UTF8, "Mailbox name contains a line or paragraph separator."),
                new Invalid("a\uD800b", UTF8, "Mailbox name is not valid Unicode."),
                new Invalid("a*b", MUTF7, "Mailbox name may not contain * or % (they are LIST wildcards)."),
                new Invalid("100%", UTF8, "Mailbox name may not contain * or % (they are LIST wildcards)."),
                new Invalid("/a", MUTF7, "Mailbox name may not begin with /."),
                new Invalid("a/", MUTF7, "Mailbox name may not end with /."),
                new Invalid("a//b", MUTF7, "Mailbox name may not contain an empty level (//)."),
                new Invalid("Entwu\u0308rfe", UTF8,
                        "Mailbox name is not in Unicode normalization form C (composed characters)."),
                new Invalid("Entwu&Awg-rfe", MUTF7,
                        "Mailbox name is not in Unicode normalization form C (composed characters)."))) {
            assertThatThrownBy(() -> MailboxNames.fromClient(c.wire(), c.utf8())).as(c.wire())
                    .isInstanceOf(MailboxNames.InvalidNameException.class).hasMessage(c.message());
        }
    }

    @Test
    void createIgnoresOneTrailingDelimiter() {
        record Case(String wire, String stored) {}
        for (Case c : List.of(new Case("foo/", "foo"), new Case("foo/bar/", "foo/bar"), new Case("inbox/", "INBOX"),
                new Case("foo", "foo"))) {
            assertThat(create(c.wire())).as(c.wire()).isEqualTo(c.stored());
        }
        for (String bad : List.of("foo//", "/", "//", "/foo/")) {
            assertThatThrownBy(() -> MailboxNames.forCreate(bad, MUTF7)).as(bad)
                    .isInstanceOf(MailboxNames.InvalidNameException.class);
        }
    }

    @Test
    void toClientEncodesUnlessUtf8() {
        record Case(String stored, boolean utf8, String wire) {}
        for (Case c : List.of(
                new Case("Entwürfe", MUTF7, "Entw&APw-rfe"),
                new Case("Entwürfe", UTF8, "Entwürfe"),
                new Case("a&b", MUTF7, "a&-b"),
                new Case("a&b", UTF8, "a&b"),
                new Case("日本語/Sub", MUTF7, "&ZeVnLIqe-/Sub"),
                new Case("INBOX", MUTF7, "INBOX"))) {
            assertThat(MailboxNames.toClient(MailboxName.of(c.stored()), c.utf8())).as(c.stored()).isEqualTo(c.wire());
            assertThat(fromClient(c.wire(), c.utf8())).as("round trip " + c.wire()).isEqualTo(c.stored());
        }
    }

    @Test
    void decodesPatternsWithTheirWildcards() throws Exception {
        assertThat(MailboxNames.decodePattern("Entw&APw-*", MUTF7)).isEqualTo("Entwü*");
        assertThat(MailboxNames.decodePattern("%/&ZeVnLIqe-%", MUTF7)).isEqualTo("%/日本語%");
        assertThat(MailboxNames.decodePattern("Entw&APw-*", UTF8)).isEqualTo("Entw&APw-*");
        assertThat(MailboxNames.decodePattern("", MUTF7)).isEmpty();
        assertThatThrownBy(() -> MailboxNames.decodePattern("Entwü*", MUTF7))
                .isInstanceOf(MailboxNames.InvalidNameException.class);
    }

    private static String fromClient(String wire, boolean utf8) {
        try {
            return MailboxNames.fromClient(wire, utf8).value();
        } catch (MailboxNames.InvalidNameException e) {
            throw new AssertionError(wire + ": " + e.getMessage(), e);
        }
    }

    private static String create(String wire) {
        try {
            return MailboxNames.forCreate(wire, MUTF7).value();
        } catch (MailboxNames.InvalidNameException e) {
            throw new AssertionError(wire + ": " + e.getMessage(), e);
        }
    }
}
