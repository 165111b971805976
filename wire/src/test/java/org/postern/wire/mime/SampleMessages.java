package org.postern.wire.mime;

/** Sample messages (LF line ends; tests convert to CRLF) shared by the MIME parser tests and the IMAP structure tests. */
public final class SampleMessages {
    private SampleMessages() {}

    /** A typical message: a group in Cc, In-Reply-To before Message-Id, an encoded word, a folded Subject. */
    public static final String TYPICAL = """
            Return-Path: <bounce@example.com>
            Date: Mon, 7 Feb 1994 21:52:25 -0800 (PST)
            From: Fred Foobar <foobar@Blurdybloop.example>
            Subject: =?utf-8?q?caf=C3=A9?= meeting
             folded
            To: mooch@owatagu.siam.edu.example, "Doe, Jane" <jane@example.com>
            Cc: Team: a@example.com, <b@example.com>;, c@example.com
            Message-Id: <B27397-0100000@Blurdybloop.example>
            In-Reply-To: <parent@example.com>
            Subject: second subject is ignored
            MIME-Version: 1.0
            Content-Type: TEXT/PLAIN; CHARSET=US-ASCII

            Hello Joe, do you think we can meet at 3:30 tomorrow?
            """;

    /** Nested multipart with a quoted-printable text part and an attachment carrying every extension field. */
    public static final String MIXED = """
            From: a@example.com
            To: b@example.com
            Subject: report
            MIME-Version: 1.0
            Content-Type: multipart/mixed; boundary="outer"

            This is a preamble.
            --outer
            Content-Type: multipart/alternative; boundary=inner

            --inner
            Content-Type: text/plain; charset=utf-8
            Content-Transfer-Encoding: quoted-printable

            Gr=C3=BC=C3=9Fe, soft=
             break
            two
            --inner
            Content-Type: text/html; charset=utf-8

            <p>Hello &amp; <b>bye</b></p>
            --inner--
            --outer
            Content-Type: application/pdf; name="report.pdf"
            Content-Transfer-Encoding: BASE64
            Content-Disposition: attachment; filename="report.pdf"; size=12
            Content-ID: <pdf1@example.com>
            Content-Description: The report
            Content-Language: en, de
            Content-Location: http://example.com/report.pdf
            Content-MD5: Q2hlY2sgSW50ZWdyaXR5IQ==

            JVBERi0xLjQK
            AAAA
            --outer--
            epilogue
            """;

    /** A message/rfc822 attachment holding a multipart. */
    public static final String FORWARD = """
            From: x@example.com
            Subject: fwd
            Content-Type: multipart/mixed; boundary=b

            --b
            Content-Type: text/plain

            See attached.
            --b
            Content-Type: message/rfc822

            From: "Inner Person" <inner@example.org>
            Subject: inner subject
            Content-Type: multipart/alternative; boundary=bb

            --bb
            Content-Type: text/plain

            inner text
            --bb
            Content-Type: text/html

            <i>inner html</i>
            --bb--

            --b--
            """;
}
