package org.postern.wire.imap;

import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.postern.wire.Secret;

/**
 * One IMAP command, parsed: a record per command of RFC 9051 §6 (and RFC 3501, and the extensions named on
 * each). Mailbox names are the raw strings from the wire, still in modified UTF-7 unless UTF8=ACCEPT is on;
 * {@code INBOX} in any case is given as {@code "INBOX"} (RFC 9051 §5.1). Keywords, flags and capability names
 * keep the client's spelling except where noted.
 */
public sealed interface ImapCommand {
    String tag();

    // RFC 9051 §6.1: any state

    record Capability(String tag) implements ImapCommand {}

    record Noop(String tag) implements ImapCommand {}

    record Logout(String tag) implements ImapCommand {}

    /** RFC 2971: {@code ID NIL} gives no fields. Field names as sent; a NIL value is empty. */
    record Id(String tag, java.util.List<IdField> fields) implements ImapCommand {
        public Id {
            fields = java.util.List.copyOf(fields);
        }
    }

    record IdField(String name, Optional<String> value) {}

    // RFC 9051 §6.2: not authenticated

    record StartTls(String tag) implements ImapCommand {}

    /**
     * RFC 9051 §6.2.2 with RFC 4959 SASL-IR: the mechanism in upper case and the initial response as sent
     * (base64, or {@code "="} for an empty one). Further exchanges are lines the session reads itself.
     */
    record Authenticate(String tag, String mechanism, Optional<String> initialResponse) implements ImapCommand {}

    record Login(String tag, String user, Secret password) implements ImapCommand {}

    // RFC 9051 §6.3: authenticated

    /** RFC 5161: capability names in upper case. */
    record Enable(String tag, java.util.List<String> capabilities) implements ImapCommand {
        public Enable {
            capabilities = java.util.List.copyOf(capabilities);
        }
    }

    /** SELECT; {@code readOnly} for EXAMINE (RFC 9051 §6.3.3). */
    record Select(String tag, String mailbox, boolean readOnly, SelectOptions options) implements ImapCommand {}

    /** RFC 7162 §3.1.8 CONDSTORE and §3.2.5 QRESYNC parameters of SELECT and EXAMINE. */
    record SelectOptions(boolean condstore, Optional<Qresync> qresync) {
        public static final SelectOptions NONE = new SelectOptions(false, Optional.empty());
    }

    /**
     * RFC 7162 §3.2.5: {@code QRESYNC (uidvalidity modseq [known-uids [(known-sequence-set known-uid-set)]])}.
     */
    record Qresync(long uidValidity, long modSeq, Optional<SequenceSet> knownUids, Optional<SequenceSet> knownSequenceSet,
            Optional<SequenceSet> knownUidSet) {}

    /** RFC 9051 §6.3.4 with RFC 6154 §3 {@code USE (\Drafts ...)}. */
    record Create(String tag, String mailbox, java.util.List<String> specialUse) implements ImapCommand {
        public Create {
            specialUse = java.util.List.copyOf(specialUse);
        }
    }

    record Delete(String tag, String mailbox) implements ImapCommand {}

    record Rename(String tag, String from, String to) implements ImapCommand {}

    record Subscribe(String tag, String mailbox) implements ImapCommand {}

    record Unsubscribe(String tag, String mailbox) implements ImapCommand {}

    /**
     * RFC 9051 §6.3.9 with RFC 5258 LIST-EXTENDED and RFC 5819 LIST-STATUS. Selection and return options are
     * upper case ({@code SUBSCRIBED}, {@code RECURSIVEMATCH}, {@code SPECIAL-USE}, {@code CHILDREN} ...); the
     * STATUS return option is {@code returnStatus}, not one of {@code returnOptions}.
     */
    record List(String tag, java.util.List<String> selectOptions, String reference, java.util.List<String> patterns,
            java.util.List<String> returnOptions, Optional<java.util.List<StatusItem>> returnStatus) implements ImapCommand {
        public List {
            selectOptions = java.util.List.copyOf(selectOptions);
            patterns = java.util.List.copyOf(patterns);
            returnOptions = java.util.List.copyOf(returnOptions);
            returnStatus = returnStatus.map(java.util.List::copyOf);
        }
    }

    /** RFC 3501 §6.3.9 (deprecated by RFC 9051 but still sent by old clients). */
    record Lsub(String tag, String reference, String pattern) implements ImapCommand {}

    record Namespace(String tag) implements ImapCommand {}

    record Status(String tag, String mailbox, java.util.List<StatusItem> items) implements ImapCommand {
        public Status {
            items = java.util.List.copyOf(items);
        }
    }

    /** RFC 9051 §6.3.11, RFC 8438 SIZE, RFC 7162 HIGHESTMODSEQ, RFC 3501 RECENT. */
    enum StatusItem {
        MESSAGES, UIDNEXT, UIDVALIDITY, UNSEEN, DELETED, SIZE, RECENT, HIGHESTMODSEQ,
        /** RFC 9208 §5.1: what an EXPUNGE would free, in the STORAGE resource's units (KiB). */
        DELETED_STORAGE,
        /** RFC 7889 §3.2: the largest message an APPEND into the mailbox may carry, in octets. */
        APPENDLIMIT;

        /** The item's name on the wire: {@code DELETED-STORAGE} has a hyphen where the Java name cannot. */
        public String wireName() {
            return name().replace('_', '-');
        }

        /** The item a client's keyword (upper case) names, if any. */
        public static java.util.Optional<StatusItem> ofWire(String keyword) {
            for (StatusItem i : values()) if (i.wireName().equals(keyword)) return java.util.Optional.of(i);
            return java.util.Optional.empty();
        }
    }

    /**
     * RFC 9051 §6.3.12. The message literal is not read by the parser: it stops after the literal's
     * announcement, and the session streams exactly {@code size} bytes into the blob store (sending
     * {@code + Ready} first when {@code synchronizing}), then reads the rest of the command with
     * {@link ImapParser#finishAppend}. {@code literal8} is RFC 3516's {@code ~{n}}; {@code utf8} is RFC 6855
     * §4's {@code UTF8 (~{n})}, whose closing parenthesis follows the message. A size over the server's
     * message limit is the session's to refuse ({@code BAD [TOOBIG]} before a synchronizing literal). A session
     * that refuses an Append for any reason (state, size, unknown mailbox) must still deal with a
     * non-synchronizing literal: the client is sending it, so read and discard the bytes or close.
     */
    record Append(String tag, String mailbox, java.util.List<String> flags, Optional<OffsetDateTime> internalDate,
            long size, boolean synchronizing, boolean literal8, boolean utf8) implements ImapCommand {
        public Append {
            flags = java.util.List.copyOf(flags);
        }
    }

    /** RFC 2177; the session reads {@code DONE} itself ({@link ImapParser#isDone}). */
    record Idle(String tag) implements ImapCommand {}

    /** RFC 9208 §4.1. */
    record GetQuota(String tag, String root) implements ImapCommand {}

    /** RFC 9208 §4.2. */
    record GetQuotaRoot(String tag, String mailbox) implements ImapCommand {}

    /** RFC 9208 §4.3: resource names upper case. */
    record SetQuota(String tag, String root, java.util.List<QuotaLimit> limits) implements ImapCommand {
        public SetQuota {
            limits = java.util.List.copyOf(limits);
        }
    }

    record QuotaLimit(String resource, long limit) {}

    // RFC 9051 §6.4: selected

    /** RFC 3501 §6.4.1 CHECK (RFC 9051 drops it; we accept it as a NOOP). */
    record Check(String tag) implements ImapCommand {}

    record Close(String tag) implements ImapCommand {}

    /** RFC 3691. */
    record Unselect(String tag) implements ImapCommand {}

    record Expunge(String tag) implements ImapCommand {}

    /** RFC 4315 §2.1 {@code UID EXPUNGE set}. */
    record UidExpunge(String tag, SequenceSet set) implements ImapCommand {}

    /**
     * RFC 9051 §6.4.4. {@code returnOptions} is empty without RETURN (an old-style {@code * SEARCH} answer) and
     * present for RFC 4731 ESEARCH ({@code RETURN ()} means ALL). {@code charset} is upper case.
     */
    record Search(String tag, boolean uid, Optional<Set<SearchReturn>> returnOptions, Optional<String> charset,
            SearchKey key) implements ImapCommand {
        public Search {
            returnOptions = returnOptions.map(Set::copyOf);
        }
    }

    /** RFC 4731 §3.1 and RFC 5182 SAVE. */
    enum SearchReturn { MIN, MAX, ALL, COUNT, SAVE }

    /**
     * RFC 9051 §6.4.5 with RFC 7162 §3.1.4 {@code (CHANGEDSINCE n)} and §3.2.6 {@code VANISHED} (only with
     * UID FETCH and CHANGEDSINCE, as the RFC requires).
     */
    record Fetch(String tag, boolean uid, SequenceSet set, java.util.List<FetchItem> items, OptionalLong changedSince,
            boolean vanished) implements ImapCommand {
        public Fetch {
            items = java.util.List.copyOf(items);
        }
    }

    /** RFC 9051 §6.4.6 with RFC 7162 §3.1.3 {@code (UNCHANGEDSINCE n)}. */
    record Store(String tag, boolean uid, SequenceSet set, OptionalLong unchangedSince, StoreMode mode, boolean silent,
            java.util.List<String> flags) implements ImapCommand {
        public Store {
            flags = java.util.List.copyOf(flags);
        }
    }

    /** {@code FLAGS}, {@code +FLAGS}, {@code -FLAGS}. */
    enum StoreMode { REPLACE, ADD, REMOVE }

    record Copy(String tag, boolean uid, SequenceSet set, String mailbox) implements ImapCommand {}

    /** RFC 6851. */
    record Move(String tag, boolean uid, SequenceSet set, String mailbox) implements ImapCommand {}
}
