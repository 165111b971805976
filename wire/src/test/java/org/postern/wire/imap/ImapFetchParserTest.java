package org.postern.wire.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.postern.wire.imap.FetchItem.*;
import org.postern.wire.imap.ImapCommand.Fetch;
import org.postern.wire.imap.SequenceSet.Range;

class ImapFetchParserTest {
    record Case(String items, List<FetchItem> expected) {}

    private static Fetch fetch(String line) throws Exception {
        return (Fetch) ImapParser.parse(line);
    }

    private static BodySection body(boolean peek, List<Integer> part, SectionText text) {
        return new BodySection(peek, new Section(part, text), Optional.empty());
    }

    @Test
    void parsesEveryFetchItemAndExpandsTheMacros() throws Exception {
        for (var c : List.of(
                new Case("ALL", List.of(new Flags(), new InternalDate(), new Rfc822Size(), new Envelope())),
                new Case("fast", List.of(new Flags(), new InternalDate(), new Rfc822Size())),
                new Case("FULL", List.of(new Flags(), new InternalDate(), new Rfc822Size(), new Envelope(), new Body())),
                new Case("FLAGS", List.of(new Flags())),
                new Case("(UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])",
                        List.of(new Uid(), new Rfc822Size(), new Flags(), body(true, List.of(), new SectionText.HeaderFields(
                                List.of("From", "To", "Cc", "Bcc", "Subject", "Date", "Message-ID", "Priority", "X-Priority",
                                        "References", "Newsgroups", "In-Reply-To", "Content-Type", "Reply-To"), false)))),
                new Case("(INTERNALDATE UID RFC822.SIZE FLAGS MODSEQ BODY.PEEK[HEADER])",   // Apple Mail
                        List.of(new InternalDate(), new Uid(), new Rfc822Size(), new Flags(), new ModSeq(),
                                body(true, List.of(), new SectionText.Header()))),
                new Case("(UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS.NOT (Received)])",   // mbsync
                        List.of(new Uid(), new Flags(), new Rfc822Size(), new InternalDate(),
                                body(true, List.of(), new SectionText.HeaderFields(List.of("Received"), true)))),
                new Case("(ENVELOPE BODYSTRUCTURE BODY RFC822 RFC822.HEADER RFC822.TEXT)",
                        List.of(new Envelope(), new BodyStructure(), new Body(), new Rfc822(), new Rfc822Header(), new Rfc822Text())),
                new Case("BODY[]", List.of(body(false, List.of(), new SectionText.Whole()))),
                new Case("BODY[TEXT]", List.of(body(false, List.of(), new SectionText.Text()))),
                new Case("body.peek[1.2.3]", List.of(body(true, List.of(1, 2, 3), new SectionText.Whole()))),
                new Case("BODY[1.MIME]", List.of(body(false, List.of(1), new SectionText.Mime()))),
                new Case("BODY[4.2.HEADER]", List.of(body(false, List.of(4, 2), new SectionText.Header()))),
                new Case("BODY[2.TEXT]", List.of(body(false, List.of(2), new SectionText.Text()))),
                new Case("BODY[3.HEADER.FIELDS (\"Subject\")]",
                        List.of(body(false, List.of(3), new SectionText.HeaderFields(List.of("Subject"), false)))),
                new Case("BODY.PEEK[]<0.2048>", List.of(new BodySection(true, new Section(List.of(), new SectionText.Whole()),
                        Optional.of(new Partial(0, 2048))))),
                new Case("(BINARY.PEEK[1]<100.200> BINARY[2.1] BINARY.SIZE[1] BINARY[])", List.of(
                        new Binary(true, List.of(1), Optional.of(new Partial(100, 200))),
                        new Binary(false, List.of(2, 1), Optional.empty()),
                        new BinarySize(List.of(1)),
                        new Binary(false, List.of(), Optional.empty()))))) {
            assertThat(fetch("a FETCH 1 " + c.items()).items()).as(c.items()).isEqualTo(c.expected());
        }
    }

    @Test
    void parsesChangedSinceAndVanishedModifiers() throws Exception {
        // RFC 7162 §3.1.4.2 example
        var f = fetch("s100 UID FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)");
        assertThat(f).isEqualTo(new Fetch("s100", true, SequenceSet.of(true, new Range(1, SequenceSet.STAR)),
                List.of(new Flags()), OptionalLong.of(12345), false));
        // RFC 7162 §3.2.6 example
        var v = fetch("s100 UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)");
        assertThat(v.vanished()).isTrue();
        assertThat(v.changedSince()).hasValue(12345);
        assertThat(fetch("a FETCH 1:* FLAGS (CHANGEDSINCE 1)").changedSince()).hasValue(1);
        assertThat(fetch("a FETCH 1:* ALL (CHANGEDSINCE 9)").items()).hasSize(4);
    }

    @Test
    void refusesVanishedWithoutUidFetchOrWithoutChangedSince() {
        for (String line : List.of("a FETCH 1:* (FLAGS) (CHANGEDSINCE 1 VANISHED)", "a UID FETCH 1:* (FLAGS) (VANISHED)")) {
            var e = catchThrowableOfType(ImapSyntaxException.class, () -> ImapParser.parse(line));
            assertThat(e).as(line).isNotNull();
            assertThat(e.getMessage()).contains("VANISHED");
        }
    }

    @Test
    void refusesMalformedFetchItems() {
        for (String items : List.of(
                "(FLAGS", "FLAGS)", "(ALL)", "BODY[", "BODY[HEADER", "BODY[0]", "BODY[1.]", "BODY[MIME]", "BODY[BOGUS]",
                "BODY[HEADER.FIELDS]", "BODY[HEADER.FIELDS ()]", "BODY.PEEK", "BODY[]<1>", "BODY[]<1.0>", "BODY[]<.5>",
                "BINARY", "BINARY[TEXT]", "BINARY.SIZE", "X-UNKNOWN", "", "(FLAGS) (CHANGEDSINCE)", "(FLAGS) (BOGUS 1)",
                "(FLAGS) CHANGEDSINCE 1", "(FLAGS  UID)")) {
            var e = catchThrowableOfType(ImapSyntaxException.class, () -> ImapParser.parse("t FETCH 1 " + items));
            assertThat(e).as(items).isNotNull();
            assertThat(e.tag()).as(items).contains("t");
        }
    }
}
