package org.postern.wire.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class HeaderFieldsTest {

    @Test
    void splitsARawHeaderIntoFieldsWithTheirFolding() {
        for (boolean withCr : new boolean[] {false, true}) {
            String nl = withCr ? "\r\n" : "\n";
            byte[] m = Msg.lf(String.join(nl, " leading junk", "Subject: one", "  two", "X-Obs : old",
                    "From: a@b.test", "", "To: body@not.header", ""));
            Part root = MessageParser.parse(m).structure().root();
            List<HeaderFields.Field> fields = HeaderFields.split(m, (int) root.headerStart(), (int) root.bodyStart());

            assertThat(fields).extracting(HeaderFields.Field::name).containsExactly("Subject", "X-Obs", "From");
            assertThat(Msg.slice(m, fields.get(0).start(), fields.get(0).end())).isEqualTo("Subject: one" + nl + "  two" + nl);
            assertThat(Msg.slice(m, fields.get(2).start(), fields.get(2).end())).isEqualTo("From: a@b.test" + nl);
            assertThat(fields.get(2).named("FROM")).isTrue();
        }
    }

    @Test
    void linesThatAreNotFieldsAreLeftOutWithTheirContinuations() {
        byte[] block = Msg.lf("A: 1\njunk\n more junk\nB: 2\n\nC: 3\n");

        assertThat(HeaderFields.split(block)).extracting(HeaderFields.Field::name).containsExactly("A", "B");
    }

    @Test
    void headerWithoutEndingLineKeepsItsLastField() {
        byte[] m = Msg.lf("A: 1\r\nB: 2");

        assertThat(HeaderFields.split(m)).containsExactly(new HeaderFields.Field("A", 0, 6), new HeaderFields.Field("B", 6, 10));
    }
}
