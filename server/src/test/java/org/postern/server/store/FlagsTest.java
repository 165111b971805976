package org.postern.server.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class FlagsTest {
    @ParameterizedTest(name = "[{index}] ''{0}''")
    @CsvSource(delimiter = '|', value = {
            "''              | ''",
            "'   '           | ''",
            "\\seen          | \\Seen",
            "\\Seen  \\DELETED | \\Deleted \\Seen",
            "' $Junk  \\Flagged ' | $Junk \\Flagged",
            "work Work       | work"})                 // keywords compare case-insensitively (RFC 9051 §2.3.2)
    void parseGivesTheCanonicalStorageForm(String stored, String canonical) {
        assertThat(Flags.parse(stored).toString()).isEqualTo(canonical);
        assertThat(Flags.parse(stored)).as("parsing again gives an equal value").isEqualTo(Flags.parse(canonical));
    }

    @Test
    void aRepeatedFormIsParsedOnceAndTheCacheStaysBounded() {
        assertThat(Flags.parse("\\Seen \\Answered")).isSameAs(Flags.parse("\\Seen \\Answered"));
        for (int i = 0; i <= Flags.PARSE_CACHE_MAX; i++) assertThat(Flags.parse("kw" + i).names()).containsExactly("kw" + i);
        assertThat(Flags.parse("\\Seen \\Answered").names()).containsExactlyInAnyOrderElementsOf(List.of("\\Seen", "\\Answered"));
    }
}
