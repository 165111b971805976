package org.postern.wire.mime;

/**
 * What {@link MessageParser} makes of one message. {@code headerText} is the top-level header for search:
 * every kept field unfolded, encoded words decoded, one {@code Name: value} per line. {@code bodyText} is the
 * body for search: decoded text parts (HTML stripped), attachment file names and the headers of attached
 * messages, at most {@link MimeLimits#MAX_SEARCH_TEXT_CHARS} characters.
 */
public record ParsedMessage(MessageStructure structure, String headerText, String bodyText) {

    /** Header text, a blank line, body text: what a full-text index of the whole message stores. */
    public String searchText() {
        return headerText + "\n" + bodyText;
    }
}
