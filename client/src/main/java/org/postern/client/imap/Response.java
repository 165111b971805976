package org.postern.client.imap;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** One server response as {@link ResponseReader} parsed it (RFC 9051 §7, §9 "response"). */
public sealed interface Response {
    /** RFC 9051 §7.1 status conditions. */
    enum Condition { OK, NO, BAD, BYE, PREAUTH }

    /** "+ text": go ahead (with a literal, AUTHENTICATE, IDLE). */
    record Continuation(String text) implements Response {}

    /** The command's end: "tag OK/NO/BAD [code] text". */
    record Tagged(String tag, Condition condition, Optional<Code> code, String text) implements Response {}

    /** "* OK/NO/BAD/BYE/PREAUTH [code] text". */
    record Status(Condition condition, Optional<Code> code, String text) implements Response {}

    record Capability(Set<String> capabilities) implements Response {}

    record Enabled(Set<String> extensions) implements Response {}

    record Exists(long count) implements Response {}

    record Expunge(long sequence) implements Response {}

    /** RFC 7162 §3.2.10: VANISHED, with (EARLIER) in answers to SELECT/FETCH and without for expunges now. */
    record Vanished(boolean earlier, UidSet uids) implements Response {}

    /** The FETCH items the client asks for; a BODY[] literal is handed to the reader's body sink instead. */
    record Fetch(long sequence, OptionalLong uid, Optional<Set<String>> flags, OptionalLong modseq,
                 Optional<Instant> internalDate, OptionalLong size) implements Response {}

    /** LIST: {@code name} as sent (modified UTF-7 unless UTF-8 is on). */
    record ListItem(Set<String> attributes, Optional<Character> delimiter, String name) implements Response {}

    /** SEARCH, with the RFC 7162 §3.1.5 "(MODSEQ n)" when present. */
    record Search(List<Long> numbers, OptionalLong modseq) implements Response {}

    record Flags(Set<String> flags) implements Response {}

    /** Anything else (RECENT, STATUS, NAMESPACE, ID ...): read to its end and not interpreted. */
    record Other(String keyword) implements Response {}

    /** RFC 9051 §7.1 response codes the client uses; others are {@link Other}. */
    sealed interface Code {
        record UidValidity(long value) implements Code {}
        record UidNext(long value) implements Code {}
        /** RFC 7162 §3.1.2.1. */
        record HighestModseq(long value) implements Code {}
        /** RFC 7162 §3.1.2.2: the mailbox has no MODSEQ. */
        record NoModseq() implements Code {}
        /** RFC 4315 §3. */
        record AppendUid(long uidValidity, UidSet uids) implements Code {}
        /** RFC 4315 §3: source UIDs and the UIDs of their copies, pairwise in the order the server wrote them. */
        record CopyUid(long uidValidity, List<Long> source, List<Long> destination) implements Code {}
        record Capabilities(Set<String> capabilities) implements Code {}
        record Other(String name, String text) implements Code {}
    }
}
