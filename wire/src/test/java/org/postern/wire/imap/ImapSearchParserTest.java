package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.wire.imap.ImapCommand.Search;
import org.postern.wire.imap.SearchKey.*;
import org.postern.wire.imap.SequenceSet.Range;

class ImapSearchParserTest {
    record Case(String keys, SearchKey expected) {}

    private static SearchKey key(String keys) throws Exception {
        return ((Search) ImapParser.parse("a SEARCH " + keys)).key();
    }

    @Test
    void parsesEverySearchKey() throws Exception {
        var feb1 = LocalDate.of(1994, 2, 1);
        for (var c : List.of(
                new Case("ALL", new All()),
                new Case("ANSWERED", new Flag("\\Answered", true)),
                new Case("DELETED", new Flag("\\Deleted", true)),
                new Case("DRAFT", new Flag("\\Draft", true)),
                new Case("FLAGGED", new Flag("\\Flagged", true)),
                new Case("SEEN", new Flag("\\Seen", true)),
                new Case("UNANSWERED", new Flag("\\Answered", false)),
                new Case("UNDELETED", new Flag("\\Deleted", false)),
                new Case("UNDRAFT", new Flag("\\Draft", false)),
                new Case("UNFLAGGED", new Flag("\\Flagged", false)),
                new Case("unseen", new Flag("\\Seen", false)),
                new Case("KEYWORD $Junk", new Flag("$Junk", true)),
                new Case("UNKEYWORD $Forwarded", new Flag("$Forwarded", false)),
                new Case("NEW", new New()),
                new Case("OLD", new Old()),
                new Case("RECENT", new Recent()),
                new Case("BCC x@example.org", new Text(TextField.BCC, "x@example.org")),
                new Case("BODY \"hello world\"", new Text(TextField.BODY, "hello world")),
                new Case("CC bob", new Text(TextField.CC, "bob")),
                new Case("FROM \"Smith\"", new Text(TextField.FROM, "Smith")),
                new Case("SUBJECT \"Grüße\"", new Text(TextField.SUBJECT, "Grüße")),
                new Case("TEXT foo", new Text(TextField.TEXT, "foo")),
                new Case("TO \"\"", new Text(TextField.TO, "")),
                new Case("HEADER Message-ID <abc@example.org>", new Header("Message-ID", "<abc@example.org>")),
                new Case("HEADER X-Spam \"\"", new Header("X-Spam", "")),
                new Case("BEFORE 1-Feb-1994", new Date(DateField.INTERNAL, DateRelation.BEFORE, feb1)),
                new Case("ON \"01-feb-1994\"", new Date(DateField.INTERNAL, DateRelation.ON, feb1)),
                new Case("SINCE 1-Feb-1994", new Date(DateField.INTERNAL, DateRelation.SINCE, feb1)),
                new Case("SENTBEFORE 1-Feb-1994", new Date(DateField.SENT, DateRelation.BEFORE, feb1)),
                new Case("SENTON 1-Feb-1994", new Date(DateField.SENT, DateRelation.ON, feb1)),
                new Case("SENTSINCE 29-Feb-2024", new Date(DateField.SENT, DateRelation.SINCE, LocalDate.of(2024, 2, 29))),
                new Case("LARGER 10000", new Larger(10000)),
                new Case("SMALLER 5000000000", new Smaller(5_000_000_000L)),   // number64
                new Case("2:4,7", new Sequence(SequenceSet.of(false, new Range(2, 4), Range.of(7)))),
                new Case("*", new Sequence(SequenceSet.of(false, Range.of(SequenceSet.STAR)))),
                new Case("$", new Sequence(SequenceSet.saved(false))),
                new Case("UID 1:*", new Uid(SequenceSet.of(true, new Range(1, SequenceSet.STAR)))),
                new Case("UID $", new Uid(SequenceSet.saved(true))),
                new Case("NOT DELETED", new Not(new Flag("\\Deleted", true))),
                new Case("OR SEEN FLAGGED", new Or(new Flag("\\Seen", true), new Flag("\\Flagged", true))),
                new Case("(SEEN)", new Flag("\\Seen", true)),
                new Case("(SEEN FLAGGED)", new And(List.of(new Flag("\\Seen", true), new Flag("\\Flagged", true)))),
                new Case("MODSEQ 620162338", new ModSeq(Optional.empty(), 620162338)),
                // RFC 7162 §3.1.5 example
                new Case("MODSEQ \"/flags/\\\\draft\" all 620162338",
                        new ModSeq(Optional.of(new ModSeqEntry("/flags/\\draft", "all")), 620162338)))) {
            assertThat(key(c.keys())).as(c.keys()).isEqualTo(c.expected());
        }
    }

    @Test
    void combinesSeveralKeysWithAndAndNestsOrNotAndParentheses() throws Exception {
        // Thunderbird quick filter and mutt shapes
        assertThat(key("UNDELETED OR OR FROM x SUBJECT x BODY x")).isEqualTo(new And(List.of(
                new Flag("\\Deleted", false),
                new Or(new Or(new Text(TextField.FROM, "x"), new Text(TextField.SUBJECT, "x")), new Text(TextField.BODY, "x")))));
        assertThat(key("NOT (SEEN OR DELETED DRAFT) SINCE 1-Jan-2025")).isEqualTo(new And(List.of(
                new Not(new And(List.of(new Flag("\\Seen", true), new Or(new Flag("\\Deleted", true), new Flag("\\Draft", true))))),
                new Date(DateField.INTERNAL, DateRelation.SINCE, LocalDate.of(2025, 1, 1)))));
        assertThat(key("1:100 UID 5:6")).isEqualTo(new And(List.of(
                new Sequence(SequenceSet.of(false, new Range(1, 100))), new Uid(SequenceSet.of(true, new Range(5, 6))))));
    }

    @Test
    void acceptsNestingUpToTheDepthLimitAndRefusesOneMore() throws Exception {
        int d = ImapLimits.MAX_SEARCH_DEPTH;
        // the top-level key is depth 1; each NOT adds one
        assertThat(key("NOT ".repeat(d - 1) + "SEEN")).isInstanceOf(Not.class);
        var e = catchThrowableOfType(ImapSyntaxException.class, () -> key("NOT ".repeat(d) + "SEEN"));
        assertThat(e.getMessage()).contains("nested too deeply");
        assertThat(key("(".repeat(d - 1) + "SEEN" + ")".repeat(d - 1))).isEqualTo(new Flag("\\Seen", true));
        var p = catchThrowableOfType(ImapSyntaxException.class, () -> key("(".repeat(d) + "SEEN" + ")".repeat(d)));
        assertThat(p.getMessage()).contains("nested too deeply");
        // a hostile depth is refused without a StackOverflowError
        var deep = catchThrowableOfType(ImapSyntaxException.class, () -> key("OR ".repeat(5000) + "SEEN"));
        assertThat(deep.getMessage()).contains("nested too deeply");
    }

    @Test
    void refusesMalformedSearches() {
        for (String keys : List.of(
                "", "BOGUS", "(SEEN", "SEEN)", "()", "OR SEEN", "NOT", "BEFORE", "BEFORE 31-Feb-2024", "BEFORE 1-Foo-2024",
                "BEFORE 2024-01-01", "BEFORE 1-Jan-24", "SINCE \"1-Jan-2024", "LARGER x", "LARGER -1", "SMALLER 99999999999999999999",
                "UID", "UID x", "0", "1:0", "1,", "1::2", "$,1", "KEYWORD", "HEADER Subject", "MODSEQ", "MODSEQ \"/flags/x\" bogus 1",
                "MODSEQ \"nope\" all 1", "CHARSET", "RETURN (BOGUS) ALL", "RETURN (MIN ALL", "SEEN  FLAGGED")) {
            var e = catchThrowableOfType(ImapSyntaxException.class, () -> key(keys));
            assertThat(e).as(keys).isNotNull();
        }
    }
}
