package org.postern.wire.imap;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.postern.wire.imap.ImapCommand.Search;
import org.postern.wire.imap.ImapCommand.SearchReturn;
import org.postern.wire.imap.SearchKey.*;

/**
 * RFC 9051 §6.4.4 SEARCH: {@code SEARCH [RETURN (opts)] [CHARSET x] key *(SP key)} with RFC 4731/5182 return
 * options, RFC 3501's keys and RFC 7162 §3.1.5 MODSEQ. Nesting is bounded by {@link ImapLimits#MAX_SEARCH_DEPTH}.
 */
final class ImapSearchParser {
    private ImapSearchParser() {}

    static Search search(String tag, boolean uid, ImapLexer lx) throws IOException {
        Optional<Set<SearchReturn>> ret = Optional.empty();
        if (lx.peekWord("RETURN ")) {
            lx.keyword();
            lx.sp();
            lx.expect('(', "'(' after RETURN");
            Set<SearchReturn> opts = EnumSet.noneOf(SearchReturn.class);
            if (!lx.tryChar(')')) {
                do {
                    String o = lx.keyword();
                    try {
                        opts.add(SearchReturn.valueOf(o));
                    } catch (IllegalArgumentException e) {
                        throw ImapLexer.bad("unknown SEARCH return option " + o);
                    }
                } while (lx.trySp());
                lx.expect(')', "')' after the return options");
            }
            // RFC 4731 §3.1: "RETURN ()" is "RETURN (ALL)"
            if (opts.isEmpty()) opts.add(SearchReturn.ALL);
            ret = Optional.of(opts);
            lx.sp();
        }
        Optional<String> charset = Optional.empty();
        if (lx.peekWord("CHARSET ")) {
            lx.keyword();
            lx.sp();
            charset = Optional.of(lx.astring().toUpperCase(java.util.Locale.ROOT));
            lx.sp();
        }
        List<SearchKey> keys = new ArrayList<>();
        do keys.add(key(lx, uid, 1)); while (lx.trySp() && !lx.atEnd());
        return new Search(tag, uid, ret, charset, keys.size() == 1 ? keys.get(0) : new And(keys));
    }

    private static SearchKey key(ImapLexer lx, boolean uidCommand, int depth) throws IOException {
        if (depth > ImapLimits.MAX_SEARCH_DEPTH) throw ImapLexer.bad("search keys nested too deeply");
        int b = lx.peek();
        if (b == '(') {
            lx.tryChar('(');
            List<SearchKey> keys = new ArrayList<>();
            do keys.add(key(lx, uidCommand, depth + 1)); while (lx.trySp());
            lx.expect(')', "')' after search keys");
            return keys.size() == 1 ? keys.get(0) : new And(keys);
        }
        if ((b >= '0' && b <= '9') || b == '*' || b == '$') return new Sequence(lx.sequenceSet(false, true));
        String k = lx.keyword();
        return switch (k) {
            case "ALL" -> new All();
            case "ANSWERED" -> new Flag("\\Answered", true);
            case "DELETED" -> new Flag("\\Deleted", true);
            case "DRAFT" -> new Flag("\\Draft", true);
            case "FLAGGED" -> new Flag("\\Flagged", true);
            case "SEEN" -> new Flag("\\Seen", true);
            case "UNANSWERED" -> new Flag("\\Answered", false);
            case "UNDELETED" -> new Flag("\\Deleted", false);
            case "UNDRAFT" -> new Flag("\\Draft", false);
            case "UNFLAGGED" -> new Flag("\\Flagged", false);
            case "UNSEEN" -> new Flag("\\Seen", false);
            case "KEYWORD" -> new Flag(arg(lx).atom(), true);
            case "UNKEYWORD" -> new Flag(arg(lx).atom(), false);
            case "NEW" -> new New();
            case "OLD" -> new Old();
            case "RECENT" -> new Recent();
            case "BCC" -> new Text(TextField.BCC, arg(lx).astring());
            case "BODY" -> new Text(TextField.BODY, arg(lx).astring());
            case "CC" -> new Text(TextField.CC, arg(lx).astring());
            case "FROM" -> new Text(TextField.FROM, arg(lx).astring());
            case "SUBJECT" -> new Text(TextField.SUBJECT, arg(lx).astring());
            case "TEXT" -> new Text(TextField.TEXT, arg(lx).astring());
            case "TO" -> new Text(TextField.TO, arg(lx).astring());
            case "HEADER" -> {
                String field = arg(lx).astring();
                yield new Header(field, arg(lx).astring());
            }
            case "BEFORE" -> new Date(DateField.INTERNAL, DateRelation.BEFORE, ImapDates.date(arg(lx)));
            case "ON" -> new Date(DateField.INTERNAL, DateRelation.ON, ImapDates.date(arg(lx)));
            case "SINCE" -> new Date(DateField.INTERNAL, DateRelation.SINCE, ImapDates.date(arg(lx)));
            case "SENTBEFORE" -> new Date(DateField.SENT, DateRelation.BEFORE, ImapDates.date(arg(lx)));
            case "SENTON" -> new Date(DateField.SENT, DateRelation.ON, ImapDates.date(arg(lx)));
            case "SENTSINCE" -> new Date(DateField.SENT, DateRelation.SINCE, ImapDates.date(arg(lx)));
            case "LARGER" -> new Larger(arg(lx).number64());
            case "SMALLER" -> new Smaller(arg(lx).number64());
            case "UID" -> new Uid(arg(lx).sequenceSet(true, true));
            case "NOT" -> new Not(key(arg(lx), uidCommand, depth + 1));
            case "OR" -> {
                SearchKey left = key(arg(lx), uidCommand, depth + 1);
                yield new Or(left, key(arg(lx), uidCommand, depth + 1));
            }
            case "MODSEQ" -> modSeq(arg(lx));
            default -> throw ImapLexer.bad("unknown search key " + k);
        };
    }

    /** RFC 7162 §3.1.5: {@code MODSEQ [SP entry-name SP entry-type-req] SP mod-sequence-valzer}. */
    private static ModSeq modSeq(ImapLexer lx) throws IOException {
        Optional<ModSeqEntry> entry = Optional.empty();
        if (lx.peek() == '"') {
            String name = lx.string();
            if (!name.startsWith("/flags/")) throw ImapLexer.bad("MODSEQ entry names start with /flags/");
            lx.sp();
            String type = lx.keyword().toLowerCase(java.util.Locale.ROOT);
            if (!List.of("priv", "shared", "all").contains(type)) throw ImapLexer.bad("MODSEQ entry type must be priv, shared or all");
            entry = Optional.of(new ModSeqEntry(name, type));
            lx.sp();
        }
        return new ModSeq(entry, lx.number64());
    }

    private static ImapLexer arg(ImapLexer lx) {
        lx.sp();
        return lx;
    }
}
