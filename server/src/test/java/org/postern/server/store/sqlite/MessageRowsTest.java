package org.postern.server.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.postern.server.store.BlobRef;
import org.postern.server.store.Flags;
import org.postern.server.store.MailboxId;
import org.postern.server.store.MessageMeta;

class MessageRowsTest {
    private static MessageMeta row(long mailbox, long uid) {
        return new MessageMeta(new MailboxId(mailbox), uid, uid, Flags.NONE, Instant.EPOCH, 100, new BlobRef("blob" + uid + "xxxxxxx"));
    }

    /** The records of {@code uids} (those in [first, last]), as a range read returns them. */
    private static List<MessageMeta> rows(long mailbox, long first, long last, long... uids) {
        return LongStream.of(uids).filter(u -> u >= first && u <= last).mapToObj(u -> row(mailbox, u)).toList();
    }

    private static List<Long> collected(MessageRows cache, long mailbox, long modSeq, long first, long last) {
        List<MessageMeta> out = new ArrayList<>();
        return cache.collect(mailbox, modSeq, first, last, out) ? out.stream().map(MessageMeta::uid).toList() : null;
    }

    /** Mailbox 7 at MODSEQ 100 holds uids 1-5, 8, 20; ranges [1,5] and [6,10] were read (they touch: one range). */
    @ParameterizedTest(name = "[{0},{1}] at {2} in mailbox {3}: {4}")
    @CsvSource(delimiter = ';', value = {
        "1;5;100;7;1 2 3 4 5",
        "3;9;100;7;3 4 5 8",        // across the two reads
        "6;7;100;7;''",             // covered and empty: known to hold nothing
        "1;10;100;7;1 2 3 4 5 8",
        "1;11;100;7;null",          // one past what was read
        "20;20;100;7;null",         // never read
        "1;5;101;7;null",           // the mailbox changed since
        "1;5;100;8;null",           // another mailbox
    })
    void aRangeIsAnsweredOnlyWhenAllOfItWasReadAtThatModSeq(long first, long last, long modSeq, long mailbox,
                                                            String expected) {
        MessageRows cache = new MessageRows();
        long[] uids = {1, 2, 3, 4, 5, 8, 20};
        cache.put(7, 100, 1, 5, rows(7, 1, 5, uids));
        cache.put(7, 100, 6, 10, rows(7, 6, 10, uids));
        List<Long> got = collected(cache, mailbox, modSeq, first, last);
        if (expected.equals("null")) {
            assertThat(got).isNull();
        } else {
            List<Long> want = expected.isEmpty() ? List.of() : java.util.Arrays.stream(expected.split(" ")).map(Long::valueOf).toList();
            assertThat(got).containsExactlyElementsOf(want);
        }
    }

    @Test
    void rangesReadInAnyOrderMergeAndAMissLeavesTheOutputUntouched() {
        MessageRows cache = new MessageRows();
        long[] uids = LongStream.rangeClosed(1, 30).toArray();
        cache.put(1, 5, 21, 30, rows(1, 21, 30, uids));
        cache.put(1, 5, 1, 10, rows(1, 1, 10, uids));
        List<MessageMeta> out = new ArrayList<>(List.of(row(1, 99)));
        assertThat(cache.collect(1, 5, 1, 30, out)).as("11-20 not read yet").isFalse();
        assertThat(out).hasSize(1);
        cache.put(1, 5, 9, 22, rows(1, 9, 22, uids));   // overlaps both: the rows read again are held once
        assertThat(collected(cache, 1, 5, 1, 30)).containsExactlyElementsOf(LongStream.rangeClosed(1, 30).boxed().toList());
        assertThat(cache.held()).isEqualTo(30);
    }

    @Test
    void aNewerModSeqReplacesTheMailboxsRows() {
        MessageRows cache = new MessageRows();
        cache.put(1, 5, 1, 3, rows(1, 1, 3, 1, 2, 3));
        cache.put(1, 6, 1, 2, rows(1, 1, 2, 1, 2));
        assertThat(collected(cache, 1, 5, 1, 3)).isNull();
        assertThat(collected(cache, 1, 6, 1, 2)).containsExactly(1L, 2L);
        assertThat(cache.held()).isEqualTo(2);
    }

    @Test
    void itHoldsAtMostItsBoundOfRecordsAndStartsOverPastIt() {
        MessageRows cache = new MessageRows(10);
        long[] uids = LongStream.rangeClosed(1, 20).toArray();
        cache.put(1, 1, 1, 6, rows(1, 1, 6, uids));
        cache.put(2, 1, 1, 4, rows(2, 1, 4, uids));
        assertThat(cache.held()).as("at the bound").isEqualTo(10);
        assertThat(collected(cache, 1, 1, 1, 6)).hasSize(6);
        cache.put(3, 1, 1, 1, rows(3, 1, 1, uids));
        assertThat(cache.held()).as("one past it: emptied, then the new rows").isEqualTo(1);
        assertThat(collected(cache, 1, 1, 1, 6)).isNull();
        assertThat(collected(cache, 3, 1, 1, 1)).containsExactly(1L);
        cache.put(4, 1, 1, 11, rows(4, 1, 11, uids));
        assertThat(collected(cache, 4, 1, 1, 11)).as("more rows than the bound are not kept").isNull();
        assertThat(collected(cache, 3, 1, 1, 1)).as("and evict nothing").containsExactly(1L);
        assertThat(cache.held()).isEqualTo(1);
        MessageRows.NONE.put(5, 1, 1, 1, rows(5, 1, 1, uids));
        assertThat(collected(MessageRows.NONE, 5, 1, 1, 1)).as("the writer's never remembers").isNull();
    }
}
