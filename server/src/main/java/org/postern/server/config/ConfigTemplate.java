package org.postern.server.config;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Writes the commented postern.toml of a first start from a {@link Config}: every key of {@link ConfigSchema},
 * its meaning and its default. Listeners are written as settings (a missing listener key means "off"); every
 * other key is commented out with its default value, so the file loads back into exactly the Config it came
 * from (a test checks this) and a later release's better default still applies to keys nobody changed.
 */
final class ConfigTemplate {
    private final StringBuilder out = new StringBuilder();
    private final Config c;
    private final boolean privilegedPorts;

    private ConfigTemplate(Config config, boolean privilegedPorts) {
        this.c = config;
        this.privilegedPorts = privilegedPorts;
    }

    /** The file for {@code config}, which is meant to be written into {@code config.dataDir()}. */
    static String render(Config config, boolean privilegedPorts) {
        return new ConfigTemplate(config, privilegedPorts).render();
    }

    private String render() {
        line("# postern.toml: configuration of this Postern mail server, written by its first start.");
        line("#");
        line("# Every key is listed with its meaning. A key commented out with '#' has the default value shown;");
        line("# remove the '# ' and change the value to set it. Relative paths are relative to this file's");
        line("# directory. Sizes: bytes, or a number with kB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of");
        line("# 1024). Durations: a number with s, m, h or d. The full reference is docs/configuration.md.");
        line("# The server reads this file when it starts: restart it after a change.");
        line("");
        line("# Name of this server in SMTP greetings, EHLO and Received headers, and in the self-signed");
        line("# certificate. Default: the machine's canonical host name, or \"localhost\" when it has none.");
        commented("hostname", quote(c.hostname()));
        line("");
        line("# Where mail, accounts, the queue and the TLS files live. Default: the directory of this file.");
        commented("data_dir", quote("."));
        line("");
        listeners();
        line("");
        line("[tls]");
        line("# The certificate chain (server certificate first, then intermediates) and its private key, PEM");
        line("# files, used by STARTTLS and by the implicit-TLS listeners. A first start generates a self-signed");
        line("# pair here; replace it with one from a certificate authority (for example Let's Encrypt) so");
        line("# that clients can verify this server. Encrypted keys are not supported. Defaults: tls/cert.pem");
        line("# and tls/key.pem in data_dir.");
        commented("certificate", quote(relative(c.tls().certificate())));
        commented("key", quote(relative(c.tls().key())));
        line("");
        line("[dns]");
        line("# Recursive resolvers for MX and address lookups when relaying, as \"address\" or \"address:port\"");
        line("# (IPv6 in brackets with a port: \"[2001:db8::53]:53\"). Empty: the system's, from /etc/resolv.conf.");
        commented("servers", list(c.dns().servers().stream().map(Addresses::format).toList()));
        line("");
        limits();
        line("");
        queue();
        line("");
        relay();
        line("");
        security();
        return out.toString();
    }

    private void listeners() {
        line("[listeners]");
        line("# Where each kind of listener accepts connections: a list of \"address:port\" (IPv6 in brackets,");
        line("# \"[::]:25\"). An empty list, or no key, turns that kind off. \"0.0.0.0\" is every IPv4 address,");
        line("# \"[::]\" every IPv6 (and IPv4 too, on most systems).");
        if (privilegedPorts) {
            line("# This first start ran as root, so it chose the standard ports on all IPv4 addresses.");
        } else {
            line("# This first start ran without root, so it chose unprivileged ports (2000 + a mnemonic of the");
            line("# standard port) on 127.0.0.1 only: reachable from this machine, not from the network. A public");
            line("# mail server uses the standard ports on all addresses, e.g. smtp = [\"0.0.0.0:25\"]; ports below");
            line("# 1024 need root or the CAP_NET_BIND_SERVICE capability.");
        }
        for (ListenerKind kind : ListenerKind.values()) {
            line("");
            line("# " + describe(kind) + " Standard port " + kind.standardPort() + ".");
            setting(kind.key(), list(c.listeners(kind).stream().map(Addresses::format).toList()));
        }
    }

    private static String describe(ListenerKind kind) {
        return switch (kind) {
            case SMTP -> "SMTP (RFC 5321): mail from other servers to our domains; offers STARTTLS.";
            case SUBMISSION -> "Submission (RFC 6409): mail from our users' programs, after AUTH; offers STARTTLS.";
            case SUBMISSIONS -> "Submission over implicit TLS (RFC 8314): as submission, TLS from the first byte.";
            case POP3 -> "POP3 (RFC 1939): users fetch their INBOX; offers STLS.";
            case POP3S -> "POP3 over implicit TLS (RFC 8314).";
            case IMAP -> "IMAP (RFC 9051): users read and organise all their folders; offers STARTTLS.";
            case IMAPS -> "IMAP over implicit TLS (RFC 8314).";
        };
    }

    private void limits() {
        var l = c.limits();
        line("[limits]");
        line("# Largest message accepted, announced in EHLO SIZE (RFC 1870). At least 64KiB (RFC 5321).");
        commented("max_message_size", quote(Quantities.formatSize(l.maxMessageSize())));
        line("# Recipients per message; more are refused with a 452 reply. At least 100 (RFC 5321).");
        commented("max_recipients", Long.toString(l.maxRecipients()));
        line("# Connections open at once on each listening address; more wait until one closes.");
        commented("max_connections", Long.toString(l.maxConnections()));
        line("# Connections open at once from one client IP address, over all listeners; more are refused.");
        commented("max_connections_per_ip", Long.toString(l.maxConnectionsPerIp()));
        line("# Unknown or malformed commands in one connection before the server closes it.");
        commented("max_bad_commands", Long.toString(l.maxBadCommands()));
        line("# Failed logins (AUTH, LOGIN, USER/PASS) in one connection before the server closes it.");
        commented("max_auth_failures", Long.toString(l.maxAuthFailures()));
    }

    private void queue() {
        var q = c.queue();
        line("[queue]");
        line("# Mail for other domains waits in the queue until their server accepts it. After the n-th failed");
        line("# attempt the next one comes retry[n-1] later; the last delay repeats.");
        commented("retry", list(q.retry().stream().map(Quantities::format).toList()));
        line("# Age at which the sender gets one \"still trying\" notice (a delay DSN, RFC 3464).");
        commented("delay_warning", quote(Quantities.format(q.delayWarning())));
        line("# Age at which the server gives up and returns the message to its sender (a bounce).");
        commented("give_up", quote(Quantities.format(q.giveUp())));
    }

    private void relay() {
        var r = c.relay();
        line("[relay]");
        line("# Send all mail for other domains through one relay, \"host:port\" (e.g. \"relay.example.net:587\"),");
        line("# instead of to each domain's MX hosts. Empty: none, MX delivery. With smarthost_user, AUTH PLAIN or");
        line("# LOGIN; the password is the first line of smarthost_password_file (relative to this file). STARTTLS");
        line("# with a verified certificate is required unless smarthost_require_tls = false (a plaintext relay on");
        line("# a trusted network; TLS is still used when offered).");
        commented("smarthost", quote(r.smarthost().map(Object::toString).orElse("")));
        commented("smarthost_user", quote(r.user().orElse("")));
        commented("smarthost_password_file", quote(r.passwordFile().map(Path::toString).orElse("")));
        commented("smarthost_require_tls", Boolean.toString(r.requireTls()));
    }

    private void security() {
        var s = c.security();
        line("[security]");
        line("# Allow passwords (AUTH, IMAP LOGIN, POP3 USER/PASS) over connections without TLS. Off by default:");
        line("# a password sent in the clear can be read by anyone on the path (RFC 3207 section 4, RFC 8314).");
        commented("allow_plaintext_auth", Boolean.toString(s.allowPlaintextAuth()));
        line("# Client networks (CIDR, e.g. \"192.0.2.0/24\", \"2001:db8::/32\") that may send mail to any domain");
        line("# without AUTH. Empty by default; even 127.0.0.0/8 is not trusted unless listed here.");
        commented("relay_networks", list(s.relayNetworks().stream().map(Cidr::toString).toList()));
    }

    private String relative(Path path) {
        Path dir = c.dataDir();
        return path.startsWith(dir) ? dir.relativize(path).toString().replace('\\', '/') : path.toString();
    }

    private void commented(String key, String value) {
        line("# " + key + " = " + value);
    }

    private void setting(String key, String value) {
        line(key + " = " + value);
    }

    private void line(String s) {
        out.append(s).append('\n');
    }

    static String list(List<String> values) {
        return values.stream().map(ConfigTemplate::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    /** A TOML basic string. */
    static String quote(String s) {
        var b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (ch < 0x20 || ch == 0x7f) b.append(String.format("\\u%04X", (int) ch));
                    else b.append(ch);
                }
            }
        }
        return b.append('"').toString();
    }
}
