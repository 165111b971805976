package org.postern.wire.imap;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.postern.wire.mime.ContentFields;
import org.postern.wire.mime.Disposition;
import org.postern.wire.mime.EncapsulatedMessage;
import org.postern.wire.mime.Envelope;
import org.postern.wire.mime.EnvelopeAddress;
import org.postern.wire.mime.Param;
import org.postern.wire.mime.Part;

/**
 * FETCH ENVELOPE, BODY and BODYSTRUCTURE (RFC 9051 §7.5.2) written from the structure parsed at delivery
 * ({@link org.postern.wire.mime.MessageStructure}), through an {@link ImapWriter.Response} so every header value
 * goes as a string the writer chose (quoted or literal) and cannot break the line.
 *
 * <p>Conventions, as in the RFC's examples: MIME tokens (type, subtype, transfer encoding, parameter and
 * disposition names) in upper case, values as the header had them. Address lists and the parts of a multipart
 * follow each other without a space (RFC 9051 §9 env-from, body-type-mpart; the RFC's own example puts a space
 * between two addresses, which its grammar does not allow, and Dovecot writes none).
 */
public final class ImapStructures {
    private ImapStructures() {}

    /**
     * A multipart must have at least one part (RFC 9051 §9 body-type-mpart = 1*body ...); one whose parts were
     * never found is written with this empty text/plain part in their place, as Dovecot does.
     */
    private static final ContentFields EMPTY_PART = ContentFields.DEFAULT;

    private static final List<Param> DEFAULT_TEXT_PARAMS = ContentFields.DEFAULT.params();

    /** The envelope: {@code (date subject from sender reply-to to cc bcc in-reply-to message-id)}. */
    public static void envelope(ImapWriter.Response r, Envelope e) throws IOException {
        r.open();
        r.nstring(e.date());
        r.nstring(e.subject());
        addresses(r, e.from());
        addresses(r, e.imapSender());      // RFC 9051 §7.5.2: defaults to From
        addresses(r, e.imapReplyTo());     // RFC 9051 §7.5.2: defaults to From
        addresses(r, e.to());
        addresses(r, e.cc());
        addresses(r, e.bcc());
        r.nstring(e.inReplyTo());
        r.nstring(e.messageId());
        r.close();
    }

    /** BODY: the structure without extension data (RFC 9051 §7.5.2 BODY, the non-extensible form). */
    public static void body(ImapWriter.Response r, Part root) throws IOException {
        part(r, root, false);
    }

    /** BODYSTRUCTURE: the structure with extension data (MD5, disposition, language, location). */
    public static void bodyStructure(ImapWriter.Response r, Part root) throws IOException {
        part(r, root, true);
    }

    private static void addresses(ImapWriter.Response r, List<EnvelopeAddress> list) throws IOException {
        if (list.isEmpty()) {
            r.nil();
            return;
        }
        r.open();
        boolean first = true;
        for (EnvelopeAddress a : list) {
            if (!first) r.glue();
            first = false;
            // RFC 9051 §7.5.2: (name adl mailbox host); group start has host NIL, group end is all NIL
            r.open().nstring(a.name()).nstring(a.adl()).nstring(a.mailbox()).nstring(a.host()).close();
        }
        r.close();
    }

    private static void part(ImapWriter.Response r, Part p, boolean extensible) throws IOException {
        ContentFields c = p.content();
        r.open();
        if (p.isMultipart()) {
            // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
            if (p.children().isEmpty()) {
                empty(r, extensible);
            } else {
                boolean first = true;
                for (Part child : p.children()) {
                    if (!first) r.glue();
                    first = false;
                    part(r, child, extensible);
                }
            }
            r.string(upper(c.subtype()));
            if (extensible) {
                // body-ext-mpart = body-fld-param [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
                params(r, c.params());
                tail(r, c);
            }
        } else {
            // body-type-1part: media type and body-fields, then what its kind adds
            r.string(upper(c.type())).string(upper(c.subtype()));
            // RFC 2046 §4.1.2: text without a charset is US-ASCII; say so, as Dovecot does, for clients that
            // would otherwise guess (only when the type has no parameters at all, again as Dovecot)
            params(r, c.isText() && c.params().isEmpty() ? DEFAULT_TEXT_PARAMS : c.params());
            r.nstring(c.id()).nstring(c.description()).string(upper(c.encoding())).number(p.bodySize());
            Optional<EncapsulatedMessage> message = p.message();
            if (message.isPresent()) {
                // body-type-msg: ... SP envelope SP body SP body-fld-lines
                envelope(r, message.get().envelope());
                part(r, message.get().root(), extensible);
                r.number(p.lines());
            } else if (c.isText()) {
                r.number(p.lines());     // body-type-text: ... SP body-fld-lines
            }
            if (extensible) {
                // body-ext-1part = body-fld-md5 [SP body-fld-dsp [SP body-fld-lang [SP body-fld-loc]]]
                r.nstring(c.md5());
                tail(r, c);
            }
        }
        r.close();
    }

    private static void empty(ImapWriter.Response r, boolean extensible) throws IOException {
        ContentFields c = EMPTY_PART;
        r.open().string(upper(c.type())).string(upper(c.subtype()));
        params(r, c.params());
        r.nil().nil().string(upper(c.encoding())).number(0).number(0);
        if (extensible) r.nil().nil().nil().nil();
        r.close();
    }

    /** body-fld-dsp SP body-fld-lang SP body-fld-loc. */
    private static void tail(ImapWriter.Response r, ContentFields c) throws IOException {
        Optional<Disposition> d = c.disposition();
        if (d.isPresent()) {
            r.open().string(upper(d.get().type()));    // body-fld-dsp = "(" string SP body-fld-param ")" / nil
            params(r, d.get().params());
            r.close();
        } else {
            r.nil();
        }
        if (c.language().isEmpty()) {
            r.nil();
        } else {
            r.open();                                   // body-fld-lang = nstring / "(" string *(SP string) ")"
            for (String lang : c.language()) r.string(lang);
            r.close();
        }
        r.nstring(c.location());
    }

    /**
     * body-fld-param = "(" string SP string *(SP string SP string) ")" / nil. Values with 8-bit characters go
     * RFC 2231 encoded ({@code NAME*} {@code utf-8''...}) unless the client accepts UTF-8 (RFC 6855 §3).
     */
    private static void params(ImapWriter.Response r, List<Param> params) throws IOException {
        if (params.isEmpty()) {
            r.nil();
            return;
        }
        r.open();
        for (Param p : params) {
            if (r.utf8()) r.string(upper(p.name())).string(p.value());
            else r.string(upper(p.wireName())).string(p.wireValue());
        }
        r.close();
    }

    private static String upper(String token) {
        return token.toUpperCase(Locale.ROOT);
    }
}
