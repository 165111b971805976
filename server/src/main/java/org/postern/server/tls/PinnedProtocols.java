package org.postern.server.tls;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An SSLContext whose every socket, server socket and engine has exactly TLS 1.3 and 1.2 enabled, whatever the
 * JDK's defaults or system properties say. RFC 8996 forbids TLS 1.0 and 1.1; RFC 8997 (updating RFC 8314 §4.1) asks
 * mail services for 1.2 or later.
 * The JDK has no setting for this per context, so this delegates to a normal context and sets the protocols on
 * what it makes.
 */
final class PinnedProtocols {
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private PinnedProtocols() {}

    static SSLContext wrap(SSLContext inner) {
        return new Context(inner);
    }

    private static final class Context extends SSLContext {
        Context(SSLContext inner) {
            super(new Spi(inner), inner.getProvider(), inner.getProtocol());
        }
    }

    private static final class Spi extends SSLContextSpi {
        private final SSLContext inner;

        Spi(SSLContext inner) {
            this.inner = inner;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) throws KeyManagementException {
            inner.init(km, tm, random);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new SocketFactory(inner.getSocketFactory());
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return new ServerSocketFactory(inner.getServerSocketFactory());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return pin(inner.createSSLEngine());
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return pin(inner.createSSLEngine(host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return inner.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return inner.getClientSessionContext();
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            return pin(inner.getDefaultSSLParameters());
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            return pin(inner.getSupportedSSLParameters());
        }
    }

    private static SSLEngine pin(SSLEngine engine) {
        engine.setEnabledProtocols(PROTOCOLS);
        return engine;
    }

    private static SSLParameters pin(SSLParameters parameters) {
        parameters.setProtocols(PROTOCOLS);
        return parameters;
    }

    private static Socket pin(Socket socket) {
        ((SSLSocket) socket).setEnabledProtocols(PROTOCOLS);
        return socket;
    }

    private static ServerSocket pin(ServerSocket socket) {
        ((SSLServerSocket) socket).setEnabledProtocols(PROTOCOLS);    // accepted sockets inherit this
        return socket;
    }

    private static final class SocketFactory extends SSLSocketFactory {
        private final SSLSocketFactory inner;

        SocketFactory(SSLSocketFactory inner) {
            this.inner = inner;
        }

        @Override public String[] getDefaultCipherSuites() { return inner.getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return inner.getSupportedCipherSuites(); }
        @Override public Socket createSocket() throws IOException { return pin(inner.createSocket()); }

        /** Layers TLS over a connected socket: STARTTLS as a client. */
        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return pin(inner.createSocket(s, host, port, autoClose));
        }

        /** Layers TLS over an accepted socket in server mode: STARTTLS/STLS as a server. */
        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return pin(inner.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return pin(inner.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return pin(inner.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return pin(inner.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return pin(inner.createSocket(address, port, localAddress, localPort));
        }
    }

    private static final class ServerSocketFactory extends SSLServerSocketFactory {
        private final SSLServerSocketFactory inner;

        ServerSocketFactory(SSLServerSocketFactory inner) {
            this.inner = inner;
        }

        @Override public String[] getDefaultCipherSuites() { return inner.getDefaultCipherSuites(); }
        @Override public String[] getSupportedCipherSuites() { return inner.getSupportedCipherSuites(); }
        @Override public ServerSocket createServerSocket() throws IOException { return pin(inner.createServerSocket()); }

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return pin(inner.createServerSocket(port));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog) throws IOException {
            return pin(inner.createServerSocket(port, backlog));
        }

        @Override
        public ServerSocket createServerSocket(int port, int backlog, InetAddress address) throws IOException {
            return pin(inner.createServerSocket(port, backlog, address));
        }
    }
}
