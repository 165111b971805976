package org.postern.cli.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.postern.cli.CliException;
import org.postern.client.message.MessageBuilder.Draft;

/** The client commands' text formats: JSON, tables, flags, the editor template. Table-driven. */
class ClientFormatsTest {
    @Test
    void jsonEscapesWhatRfc8259RequiresAndReadsBack() {
        record Case(Object value, String json) {}
        for (Case c : List.of(
                new Case("plain", "\"plain\"\n"),
                new Case("q\"b\\s", "\"q\\\"b\\\\s\"\n"),
                new Case("line\nbreak\ttab\u0001", "\"line\\nbreak\\ttab\\u0001\"\n"),
                new Case(Optional.empty(), "null\n"),
                new Case(List.of(), "[]\n"),
                new Case(Json.obj("a", 1L, "b", true), "{\n  \"a\": 1,\n  \"b\": true\n}\n"))) {
            assertThat(Json.write(c.value())).as(String.valueOf(c.value())).isEqualTo(c.json());
        }
        String tricky = "\"</script>\u2028\\\u0000é";
        assertThat(MiniJson.parse(Json.write(Map.of("s", tricky)))).isEqualTo(Map.of("s", tricky));
    }

    @Test
    void tableFitsTheWidthAndCutsFlexibleColumnsOnly() {
        var cols = List.of(Table.Column.number("ID"), Table.Column.flex("FROM", 1), Table.Column.flex("SUBJECT", 2),
                Table.Column.fixed("FLAGS"));
        var rows = List.of(List.of("7", "Someone With A Long Name <someone@example.org>", "A subject that goes on and on and on", "NF"));
        for (int width : List.of(40, 60, 80, 200)) {
            List<String> lines = Table.render(cols, rows, width);
            assertThat(lines).as("width " + width).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(Math.max(width, 1 + 2 + 8 + 2 + 8 + 2 + 5)));
            assertThat(lines.get(1)).startsWith(" 7  ").endsWith("NF");
        }
        assertThat(Table.render(cols, rows, 200).get(1)).contains("A subject that goes on and on and on").doesNotContain("…");
        assertThat(Table.render(cols, rows, 40).get(1)).contains("…");
        assertThat(Table.fit("abc", 3)).isEqualTo("abc");
        assertThat(Table.fit("abcd", 3)).isEqualTo("ab…");
        assertThat(Table.fit("a\r\nb", 10)).isEqualTo("a  b");
    }

    @Test
    void flagWordsBecomeImapFlags() {
        record Case(String word, String flag) {}
        for (Case c : List.of(new Case("seen", "\\Seen"), new Case("\\Flagged", "\\Flagged"), new Case("Answered", "\\Answered"),
                new Case("draft", "\\Draft"), new Case("$Label1", "$Label1"), new Case("x".repeat(FlagCommand.MAX_KEYWORD_LENGTH),
                        "x".repeat(FlagCommand.MAX_KEYWORD_LENGTH)))) {
            assertThat(FlagCommand.flag(c.word())).as(c.word()).isEqualTo(c.flag());
        }
        for (String bad : List.of("deleted", "\\Recent", "\\Bogus", "a b", "par(en", "x".repeat(FlagCommand.MAX_KEYWORD_LENGTH + 1), "")) {
            assertThatThrownBy(() -> FlagCommand.flag(bad)).as(bad).isInstanceOf(CliException.class);
        }
    }

    @Test
    void rowFlagsAndSizesAreShort() {
        assertThat(Rows.flags(java.util.Set.of())).isEqualTo("N");
        assertThat(Rows.flags(java.util.Set.of("\\Seen"))).isEqualTo("-");
        assertThat(Rows.flags(java.util.Set.of("\\Seen", "\\Flagged", "\\Answered", "work"))).isEqualTo("FA+");
        assertThat(List.of(Rows.size(0), Rows.size(1023), Rows.size(1024), Rows.size(15 * 1024 + 1), Rows.size(3L << 30)))
                .containsExactly("0", "1023", "1.0K", "15K", "3.0G");
    }

    @Test
    void editedTemplateIsReadBack() {
        Draft base = new Draft("me@example.org", List.of("a@example.org"), List.of(), List.of(), "Re: x", "", List.of(),
                Optional.empty(), Optional.of("<p@example.org>"), List.of("<p@example.org>"));
        assertThat(Composer.template(base)).isEqualTo("To: a@example.org\nCc: \nBcc: \nSubject: Re: x\n\n");

        Draft d = Composer.parseTemplate(base, "To: \"Doe, Ann\" <ann@example.org>, b@example.org\nCc: c@example.org,\n"
                + "  d@example.org\nBcc:\nSubject: Re: x (edited)\n\nHello,\n\nbody.\n");
        assertThat(d.to()).containsExactly("\"Doe, Ann\" <ann@example.org>", "b@example.org");
        assertThat(d.cc()).containsExactly("c@example.org", "d@example.org");
        assertThat(d.bcc()).isEmpty();
        assertThat(d.subject()).isEqualTo("Re: x (edited)");
        assertThat(d.text()).isEqualTo("Hello,\n\nbody.\n");
        assertThat(d.inReplyTo()).contains("<p@example.org>");
        assertThat(Composer.recipients(d)).containsExactly("ann@example.org", "b@example.org", "c@example.org", "d@example.org");

        assertThatThrownBy(() -> Composer.parseTemplate(base, "To: a@example.org\nX-Evil: 1\n\ntext"))
                .hasMessageStartingWith("the edited message has a line the template does not know: 'X-Evil: 1'");
    }

    @Test
    void progressLineFitsTheWidth() {
        for (int width : List.of(40, 80, 132)) {
            String line = Progress.line("INBOX", 500, 1000, width);
            assertThat(line.length()).as("width " + width).isLessThan(width);
            assertThat(line).startsWith("INBOX [").endsWith("] 500/1000");
            String bar = line.substring(line.indexOf('[') + 1, line.indexOf(']'));
            assertThat(bar.chars().filter(ch -> ch == '#').count()).isEqualTo(bar.length() / 2);
        }
        assertThat(Progress.line("INBOX", 0, 0, 80)).doesNotContain("#");
    }

    @Test
    void textFromStandardInputUpToTheLimitAndNotOneByteMore() throws java.io.IOException {
        byte[] max = new byte[Composer.MAX_TEXT_BYTES];
        java.util.Arrays.fill(max, (byte) 'a');
        assertThat(Composer.readText(new java.io.ByteArrayInputStream(max))).hasSize(Composer.MAX_TEXT_BYTES);
        byte[] over = java.util.Arrays.copyOf(max, Composer.MAX_TEXT_BYTES + 1);
        over[Composer.MAX_TEXT_BYTES] = 'a';
        assertThatThrownBy(() -> Composer.readText(new java.io.ByteArrayInputStream(over)))
                .hasMessage("the text is longer than 10 MB: attach it as a file (--attach)");
    }
}
