package org.postern.server.imap;

import java.util.OptionalLong;
import org.postern.server.store.ReadTx;
import org.postern.wire.imap.ResponseCode;

/**
 * RFC 9208 QUOTA with the STORAGE resource: one quota root per account, named {@code ""}, covering every
 * mailbox; its limit is set by the operator ({@code postern user quota}) and kept in the directory. Checked
 * inside the store transaction that would add the octets, so two sessions cannot both slip under it.
 */
final class Quota {
    /** The account's one quota root (RFC 9208 §3.2: a server chooses its root names). */
    static final String ROOT = "";

    private Quota() {}

    /**
     * Refuses, with {@code NO [OVERQUOTA]} (RFC 9208 §4.3, §7.1), a change that would take the account's usage
     * over its limit.
     */
    static void check(ReadTx tx, OptionalLong limit, long adding) {
        if (limit.isPresent() && adding > 0 && tx.totalSize() + adding > limit.getAsLong())
            throw ImapNo.no(ResponseCode.OVERQUOTA, "this would exceed your storage quota of " + kib(limit.getAsLong()) + " KiB");
    }

    /** RFC 9208 §5.1: STORAGE is counted in units of 1024 octets (usage rounded up). */
    static long kib(long octets) {
        return (octets + 1023) / 1024;
    }
}
