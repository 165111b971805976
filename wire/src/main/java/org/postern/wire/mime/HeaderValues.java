package org.postern.wire.mime;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The raw values of the header fields the structure needs, from one header block. The first occurrence of
 * a field wins (RFC 5322 §3.6 allows most of them once; duplicates are junk).
 */
final class HeaderValues {
    private String contentType;
    private String encoding;
    private String id;
    private String description;
    private String md5;
    private String disposition;
    private String language;
    private String location;
    private String date;
    private String subject;
    private String from;
    private String sender;
    private String replyTo;
    private String to;
    private String cc;
    private String bcc;
    private String inReplyTo;
    private String messageId;

    /** Records one unfolded field; {@code value} without the leading and trailing white space. */
    void add(String name, String value) {
        if (name.length() < 2 || name.length() > 25) return; // none of ours is shorter or longer
        switch (name.toLowerCase(Locale.ROOT)) {
            case "content-type" -> contentType = first(contentType, value);
            case "content-transfer-encoding" -> encoding = first(encoding, value);
            case "content-id" -> id = first(id, value);
            case "content-description" -> description = first(description, value);
            case "content-md5" -> md5 = first(md5, value);
            case "content-disposition" -> disposition = first(disposition, value);
            case "content-language" -> language = first(language, value);
            case "content-location" -> location = first(location, value);
            case "date" -> date = first(date, value);
            case "subject" -> subject = first(subject, value);
            case "from" -> from = first(from, value);
            case "sender" -> sender = first(sender, value);
            case "reply-to" -> replyTo = first(replyTo, value);
            case "to" -> to = first(to, value);
            case "cc" -> cc = first(cc, value);
            case "bcc" -> bcc = first(bcc, value);
            case "in-reply-to" -> inReplyTo = first(inReplyTo, value);
            case "message-id" -> messageId = first(messageId, value);
            default -> {
            }
        }
    }

    private static String first(String existing, String value) {
        return existing != null ? existing : value;
    }

    ContentFields content(boolean inDigest) {
        ContentFields base = inDigest ? ContentFields.DIGEST_DEFAULT : ContentFields.DEFAULT;
        if (contentType != null) {
            // RFC 2045 §5.2: an invalid Content-Type means the default text/plain; charset=us-ascii
            base = MimeHeaders.mediaType(contentType)
                    .map(m -> ContentFields.DEFAULT.withType(m.type(), m.subtype(), m.params()))
                    .orElse(ContentFields.DEFAULT);
        }
        return new ContentFields(base.type(), base.subtype(), base.params(), opt(id), opt(description),
                encoding == null ? "7bit" : MimeHeaders.encoding(encoding), opt(md5),
                disposition == null ? Optional.empty() : MimeHeaders.disposition(disposition),
                language == null ? List.of() : MimeHeaders.languages(language), opt(location));
    }

    Envelope envelope() {
        return new Envelope(opt(date), opt(subject), addresses(from), addresses(sender), addresses(replyTo),
                addresses(to), addresses(cc), addresses(bcc), opt(inReplyTo), opt(messageId));
    }

    private static Optional<String> opt(String s) {
        return Optional.ofNullable(s);
    }

    private static List<EnvelopeAddress> addresses(String value) {
        return value == null ? List.of() : EnvelopeAddress.of(AddressParser.parseList(value));
    }
}
