package org.postern.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class QuantitiesTest {
    @Test
    void durationsAreAWholeNumberAndAUnit() {
        record Case(String text, Duration expected) {}
        for (var c : List.of(
                new Case("30s", Duration.ofSeconds(30)),
                new Case("15m", Duration.ofMinutes(15)),
                new Case("4h", Duration.ofHours(4)),
                new Case("5d", Duration.ofDays(5)),
                new Case("0s", Duration.ZERO),
                new Case(" 90 M ", Duration.ofMinutes(90)),
                new Case("999999999s", Duration.ofSeconds(999_999_999)))) {
            assertThat(Quantities.duration(c.text())).as(c.text()).isEqualTo(c.expected());
        }
    }

    @Test
    void malformedDurationsAreRefusedWithTheUnitsListed() {
        for (String bad : List.of("", "5", "m", "5 days", "1.5h", "-5m", "5w", "5m30s", "1000000000s", "PT5M")) {
            assertThatThrownBy(() -> Quantities.duration(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("is not a duration")
                    .hasMessageContaining("s, m, h or d");
        }
    }

    @Test
    void durationsFormatToTheShortestFormThatReadsBack() {
        record Case(Duration value, String text) {}
        for (var c : List.of(
                new Case(Duration.ofDays(5), "5d"),
                new Case(Duration.ofHours(4), "4h"),
                new Case(Duration.ofHours(36), "36h"),
                new Case(Duration.ofMinutes(15), "15m"),
                new Case(Duration.ofSeconds(90), "90s"),
                new Case(Duration.ZERO, "0s"))) {
            assertThat(Quantities.format(c.value())).isEqualTo(c.text());
            assertThat(Quantities.duration(c.text())).isEqualTo(c.value());
        }
    }

    @Test
    void sizesUseSiAndIecUnits() {
        record Case(String text, long bytes) {}
        for (var c : List.of(
                new Case("1048576", 1_048_576),
                new Case("100B", 100),
                new Case("50MB", 50_000_000),
                new Case("35 MiB", 35L << 20),
                new Case("64KiB", 65_536),
                new Case("64kb", 64_000),
                new Case("64k", 64_000),
                new Case("2GiB", 2L << 30),
                new Case("1g", 1_000_000_000),
                new Case("1TiB", 1L << 40),
                new Case("50mib", 50L << 20))) {
            assertThat(Quantities.size(c.text())).as(c.text()).isEqualTo(c.bytes());
        }
    }

    @Test
    void malformedSizesAreRefused() {
        for (String bad : List.of("", "MB", "50 MBytes", "1.5MB", "-1", "50 mb b", "10XB", "9999999999999999TiB")) {
            assertThatThrownBy(() -> Quantities.size(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void sizesFormatInTheLargestWholeIecUnit() {
        assertThat(Quantities.formatSize(50L << 20)).isEqualTo("50MiB");
        assertThat(Quantities.formatSize(65_536)).isEqualTo("64KiB");
        assertThat(Quantities.formatSize(1L << 30)).isEqualTo("1GiB");
        assertThat(Quantities.formatSize(50_000_000)).isEqualTo("50000000");      // not a whole number of KiB
        assertThat(Quantities.size(Quantities.formatSize(50_000_000))).isEqualTo(50_000_000);
        assertThat(Quantities.formatSize(1000)).isEqualTo("1000");
    }
}
