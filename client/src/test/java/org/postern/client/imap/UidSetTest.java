package org.postern.client.imap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class UidSetTest {
    @Test
    void parsesAndFormatsInCanonicalForm() {
        record Case(String text, String canonical, long size) {}
        for (Case c : List.of(
                new Case("1", "1", 1),
                new Case("1:5,7,9:12", "1:5,7,9:12", 10),
                new Case("5:1", "1:5", 5),
                new Case("3,1,2", "1:3", 3),
                new Case("1:4,3:8,10", "1:8,10", 9),
                new Case("4294967295", "4294967295", 1),
                new Case("7,6,5,20,8", "5:8,20", 5))) {
            UidSet s = UidSet.parse(c.text());
            assertThat(s.toString()).as(c.text()).isEqualTo(c.canonical());
            assertThat(s.size()).as(c.text()).isEqualTo(c.size());
            assertThat(UidSet.parse(s.toString())).isEqualTo(s).hasSameHashCodeAs(s);
        }
    }

    @Test
    void refusesWhatIsNotASetOfUids() {
        for (String bad : List.of("", "*", "1:*", "0", "1,,2", "a", "1:", ":3", "4294967296", "1 2", "-1", "12345678901")) {
            assertThatThrownBy(() -> UidSet.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> UidSet.of(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setOperations() {
        UidSet s = UidSet.of(1, 2, 3, 10, 11, 20);
        assertThat(s).isEqualTo(UidSet.parse("1:3,10:11,20"));
        assertThat(s.contains(2)).isTrue();
        assertThat(s.contains(4)).isFalse();
        assertThat(s.contains(20)).isTrue();
        assertThat(s.contains(21)).isFalse();
        assertThat(s.toList()).containsExactly(1L, 2L, 3L, 10L, 11L, 20L);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(20);
        assertThat(s.minus(UidSet.parse("2,10:30"))).isEqualTo(UidSet.of(1, 3, 11).minus(UidSet.of(11)));
        assertThat(s.minus(UidSet.parse("2,10:30")).toString()).isEqualTo("1,3");
        assertThat(s.union(UidSet.parse("4:9"))).isEqualTo(UidSet.parse("1:11,20"));
        assertThat(UidSet.empty().isEmpty()).isTrue();
        assertThat(UidSet.of(List.of(5L, 4L))).isEqualTo(UidSet.range(4, 5));
        assertThat(s).isNotEqualTo(UidSet.of(1, 2, 3));
    }

    @Test
    void chunksStayWithinTheLimitAndCoverTheSet() {
        List<Long> uids = new ArrayList<>();
        for (long u = 1; u < 5000; u += 2) uids.add(u);
        UidSet s = UidSet.of(uids);
        List<UidSet> chunks = s.chunks(100);
        assertThat(chunks).hasSizeGreaterThan(10);
        UidSet union = UidSet.empty();
        for (UidSet c : chunks) {
            assertThat(c.toString().length()).isLessThanOrEqualTo(100);
            union = union.union(c);
        }
        assertThat(union).isEqualTo(s);
        assertThat(UidSet.parse("1:4294967295").chunks(UidSet.MAX_RANGE_CHARS)).hasSize(1);
        assertThatThrownBy(() -> s.chunks(UidSet.MAX_RANGE_CHARS - 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
