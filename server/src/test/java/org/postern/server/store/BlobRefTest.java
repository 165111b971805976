package org.postern.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BlobRefTest {
    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(nullValues = "NULL", value = {
            "abcdefgh, true",                 // MIN_LENGTH
            "abcdefg, false",                 // one short
            "AZaz09_-, true",                 // every allowed class
            "abcdefg., false",
            "abcdefg/, false",                // never a path
            "'abcdefg ', false",
            "abcdéfgh, false",
            "NULL, false",
            "'', false"})
    void idsAreUrlAndFileNameSafe(String id, boolean valid) {
        assertThat(BlobRef.valid(id)).isEqualTo(valid);
        if (!valid) assertThatThrownBy(() -> new BlobRef(id)).isInstanceOf(IllegalArgumentException.class);
        else assertThat(new BlobRef(id).id()).isEqualTo(id);
    }

    @ParameterizedTest
    @CsvSource({"64, true", "65, false"})
    void lengthAtTheLimitAndOnePast(int length, boolean valid) {
        assertThat(BlobRef.valid("a".repeat(length))).isEqualTo(valid);
    }
}
