package org.postern.server.imap;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.server.imap.ImapSession.Extension;
import org.postern.server.store.MessageMeta;
import org.postern.wire.imap.ImapCommand;
import org.postern.wire.imap.ImapCommand.SearchReturn;
import org.postern.wire.imap.ResponseCode;
import org.postern.wire.imap.SearchKey;

/**
 * SEARCH and UID SEARCH (RFC 9051 §6.4.4) answered by {@link SearchEngine}, with RFC 4731 ESEARCH
 * ({@code RETURN (MIN MAX ALL COUNT)}), RFC 5182 SEARCHRES ({@code SAVE}, then {@code $}) and RFC 7162's MODSEQ
 * key. IMAP4rev2 sessions always get ESEARCH (RFC 9051 §6.4.4: SEARCH without RETURN means RETURN (ALL));
 * IMAP4rev1 sessions without RETURN get the old {@code * SEARCH} response.
 */
final class SearchCommand {
    private final ImapSession s;

    SearchCommand(ImapSession s) {
        this.s = s;
    }

    Reply search(ImapCommand.Search c) throws IOException {
        SelectedView view = s.view();
        if (c.charset().isPresent() && !SearchEngine.CHARSETS.contains(c.charset().get())) {
            // RFC 9051 §7.1: BADCHARSET with the charsets we support
            throw ImapNo.no(ResponseCode.of("BADCHARSET", "(UTF-8 US-ASCII)"), "unsupported charset");
        }
        boolean modSeqKey = hasModSeq(c.key());
        if (modSeqKey) s.enabled.add(Extension.CONDSTORE);   // RFC 7162 §3.1: the MODSEQ key is CONDSTORE-enabling
        Optional<Set<SearchReturn>> ret = c.returnOptions();
        boolean save = ret.isPresent() && ret.get().contains(SearchReturn.SAVE);
        if (save) s.savedUids = new long[0];   // RFC 5182 §2.1: a failed SEARCH leaves $ empty
        SearchEngine.Context context = new SearchEngine.Context(view.uids(), s.savedUids, view.recent());
        long[] uids = s.store().read(s.account().id(), tx -> SearchEngine.search(tx, view.box(), c.key(), context));
        // numbers as the client asked: UIDs, or the sequence numbers of the view's messages
        long[] numbers;
        if (c.uid()) {
            numbers = uids;
        } else {
            numbers = Arrays.stream(uids).map(u -> view.indexOf(u) + 1L).filter(n -> n > 0).sorted().toArray();
        }
        long highest = modSeqKey ? highestModSeq(view, uids) : 0;
        if (save) s.savedUids = saved(uids, ret.get());
        if (ret.isEmpty() && !s.rev2()) {
            s.out.untagged(r -> {
                r.atom("SEARCH");
                for (long n : numbers) r.number(n);
                // RFC 7162 §3.1.5: with the MODSEQ key, the highest MODSEQ of the messages found
                if (modSeqKey && numbers.length > 0) r.open().atom("MODSEQ").number(highest).close();
            });
        } else {
            Set<SearchReturn> options = ret.orElse(Set.of());
            boolean onlySave = options.equals(Set.of(SearchReturn.SAVE));
            if (!onlySave) esearch(c, options.isEmpty() ? Set.of(SearchReturn.ALL) : options, numbers, modSeqKey, highest);
        }
        return Reply.ok((c.uid() ? "UID " : "") + "SEARCH completed");
    }

    /**
     * RFC 4731 §3.1: {@code * ESEARCH (TAG "t") [UID] [MIN n] [MAX n] [ALL set] [COUNT n]}. MIN, MAX and ALL
     * are left out when nothing matched; COUNT is 0 then.
     */
    private void esearch(ImapCommand.Search c, Set<SearchReturn> options, long[] numbers, boolean modSeqKey, long highest)
            throws IOException {
        s.out.untagged(r -> {
            r.atom("ESEARCH").open().atom("TAG").string(c.tag()).close();
            if (c.uid()) r.atom("UID");
            if (numbers.length > 0) {
                if (options.contains(SearchReturn.MIN)) r.atom("MIN").number(numbers[0]);
                if (options.contains(SearchReturn.MAX)) r.atom("MAX").number(numbers[numbers.length - 1]);
                if (options.contains(SearchReturn.ALL)) r.atom("ALL").token(Sets.compact(numbers));
            }
            if (options.contains(SearchReturn.COUNT)) r.atom("COUNT").number(numbers.length);
            if (modSeqKey && numbers.length > 0) r.atom("MODSEQ").number(highest);
        });
    }

    /**
     * RFC 5182 §2.4: SAVE with MIN and/or MAX saves only those; otherwise the whole result. Always UIDs, so a
     * later {@code $} survives expunges of other messages.
     */
    private static long[] saved(long[] uids, Set<SearchReturn> options) {
        boolean min = options.contains(SearchReturn.MIN), max = options.contains(SearchReturn.MAX);
        if (uids.length == 0 || options.contains(SearchReturn.ALL) || options.contains(SearchReturn.COUNT) || (!min && !max))
            return uids;
        if (min && max) return uids.length == 1 ? uids : new long[] {uids[0], uids[uids.length - 1]};
        return new long[] {min ? uids[0] : uids[uids.length - 1]};
    }

    private long highestModSeq(SelectedView view, long[] uids) {
        if (uids.length == 0) return 0;
        List<MessageMeta> metas = s.store().read(s.account().id(), tx -> tx.messages(view.box(), Sets.uidSet(uids)));
        return metas.stream().mapToLong(MessageMeta::modSeq).max().orElse(0);
    }

    private static boolean hasModSeq(SearchKey k) {
        return switch (k) {
            case SearchKey.ModSeq _ -> true;
            case SearchKey.And a -> a.keys().stream().anyMatch(SearchCommand::hasModSeq);
            case SearchKey.Or o -> hasModSeq(o.left()) || hasModSeq(o.right());
            case SearchKey.Not n -> hasModSeq(n.key());
            default -> false;
        };
    }
}
