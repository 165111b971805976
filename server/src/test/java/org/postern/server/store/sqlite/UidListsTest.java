package org.postern.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UidListsTest {
    @Test
    void aListIsFoundOnlyAtTheModSeqItWasReadAtAndEveryCallerGetsItsOwnCopy() {
        UidLists lists = new UidLists();
        lists.put(7, 100, new long[] {1, 2, 3});
        long[] mine = lists.get(7, 100);
        assertThat(mine).containsExactly(1, 2, 3);
        mine[0] = 99;
        assertThat(lists.get(7, 100)).as("a caller's change does not reach the cache").containsExactly(1, 2, 3);
        assertThat(lists.get(7, 101)).as("the mailbox changed since").isNull();
        assertThat(lists.get(8, 100)).as("another mailbox").isNull();
        lists.put(7, 101, new long[] {1, 2});
        assertThat(lists.get(7, 100)).as("one list per mailbox: the newer replaces it").isNull();
        assertThat(lists.held()).isEqualTo(2);
    }

    @Test
    void itHoldsAtMostItsBoundOfUidsAndStartsOverPastIt() {
        UidLists lists = new UidLists(10);
        lists.put(1, 1, new long[6]);
        lists.put(2, 1, new long[4]);
        assertThat(lists.held()).as("at the bound").isEqualTo(10);
        assertThat(lists.get(1, 1)).isNotNull();
        lists.put(3, 1, new long[1]);
        assertThat(lists.held()).as("one past it: emptied, then the new list").isEqualTo(1);
        assertThat(lists.get(1, 1)).isNull();
        lists.put(4, 1, new long[11]);
        assertThat(lists.get(4, 1)).as("a list larger than the bound is not kept").isNull();
        assertThat(UidLists.NONE.get(5, 1)).isNull();
        UidLists.NONE.put(5, 1, new long[0]);
        assertThat(UidLists.NONE.get(5, 1)).as("the writer's never remembers").isNull();
    }
}
