package org.postern.wire.mime;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a part's MIME header fields say about its body: the body fields of an IMAP BODYSTRUCTURE (RFC 9051
 * §7.5.2). Tokens that MIME defines as case-insensitive (type, subtype, transfer encoding, parameter names)
 * are lower case; an IMAP writer may print them as is or upper case. Other values are raw (unfolded,
 * undecoded) header values.
 *
 * <p>Defaults (RFC 2045 §5.2, §6.1; RFC 2046 §5.1.5): a part without a valid Content-Type is text/plain with
 * {@code charset=us-ascii}, except in a multipart/digest, where it is message/rfc822 without parameters; the
 * transfer encoding defaults to {@code 7bit}.
 */
public record ContentFields(String type, String subtype, List<Param> params, Optional<String> id,
                            Optional<String> description, String encoding, Optional<String> md5,
                            Optional<Disposition> disposition, List<String> language, Optional<String> location) {

    /** RFC 2045 §5.2: "Content-type: text/plain; charset=us-ascii" when the field is absent or invalid. */
    public static final ContentFields DEFAULT = new ContentFields("text", "plain",
            List.of(new Param("charset", "us-ascii")), Optional.empty(), Optional.empty(), "7bit",
            Optional.empty(), Optional.empty(), List.of(), Optional.empty());

    /** RFC 2046 §5.1.5: in a multipart/digest, a part without Content-Type is message/rfc822. */
    public static final ContentFields DIGEST_DEFAULT = new ContentFields("message", "rfc822", List.of(),
            Optional.empty(), Optional.empty(), "7bit", Optional.empty(), Optional.empty(), List.of(),
            Optional.empty());

    public ContentFields {
        if (type.isEmpty() || subtype.isEmpty()) throw new IllegalArgumentException("empty media type");
        if (encoding.isEmpty()) throw new IllegalArgumentException("empty transfer encoding");
        type = type.toLowerCase(Locale.ROOT);
        subtype = subtype.toLowerCase(Locale.ROOT);
        encoding = encoding.toLowerCase(Locale.ROOT);
        params = List.copyOf(params);
        language = List.copyOf(language);
    }

    public Optional<String> param(String name) {
        return Param.find(params, name);
    }

    /** True for multipart/*. */
    public boolean isMultipart() {
        return type.equals("multipart");
    }

    /** True for message/rfc822 and message/global (RFC 6532 §3.7), whose body is a message. */
    public boolean isMessage() {
        return type.equals("message") && (subtype.equals("rfc822") || subtype.equals("global"));
    }

    public boolean isText() {
        return type.equals("text");
    }

    /** The attachment's file name: the disposition's {@code filename}, else the type's {@code name} (raw). */
    public Optional<String> fileName() {
        return disposition.flatMap(d -> d.param("filename")).or(() -> param("name"));
    }

    public ContentFields withType(String newType, String newSubtype, List<Param> newParams) {
        return new ContentFields(newType, newSubtype, newParams, id, description, encoding, md5, disposition,
                language, location);
    }
}
