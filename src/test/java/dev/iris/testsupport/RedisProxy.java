package dev.iris.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy in front of Redis for one instance, able to leave that instance's subscriptions <em>half-open</em>:
 * {@link #cutSubscriptions} closes the Redis side of every connection that sent a SUBSCRIBE, so Redis forgets the
 * subscriber at once, while the instance's side stays open and silent — the instance is not told (no FIN), as after
 * a network partition or a Redis failover it has not noticed yet. Everything else is forwarded as is; when Redis
 * closes a connection, the proxy closes the instance's side too.
 */
public final class RedisProxy implements AutoCloseable {

    private final ServerSocket server;
    private final int upstreamPort;
    private final List<Link> links = new CopyOnWriteArrayList<>();

    private static final class Link {
        private final Socket client;
        private final Socket upstream;
        private volatile boolean subscriber;
        private volatile boolean cut;

        private Link(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    public RedisProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "redis-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Cuts every live subscription connection on the Redis side only; how many were cut. */
    public int cutSubscriptions() {
        int count = 0;
        for (Link link : links) {
            if (link.subscriber && !link.cut) {
                link.cut = true;
                quietly(link.upstream);
                count++;
            }
        }
        return count;
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("RedisProxy[");
        for (Link link : links) {
            text.append(link.client.getPort()).append(link.subscriber ? " sub" : "").append(link.cut ? " cut" : "")
                    .append(link.upstream.isClosed() ? " up-closed" : "").append("; ");
        }
        return text.append(']').toString();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream;
                try {
                    upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
                } catch (IOException redisDown) {
                    quietly(client);
                    continue;
                }
                Link link = new Link(client, upstream);
                links.add(link);
                pump(link, true);
                pump(link, false);
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void pump(Link link, boolean outbound) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = (outbound ? link.client : link.upstream).getInputStream()) {
                OutputStream out = (outbound ? link.upstream : link.client).getOutputStream();
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    if (outbound && !link.subscriber && new String(buffer, 0, read, StandardCharsets.US_ASCII)
                            .toUpperCase(Locale.ROOT).contains("SUBSCRIBE")) {
                        link.subscriber = true;
                    }
                    if (link.cut) {
                        continue; // half-open: what the instance sends goes nowhere, and nothing comes back
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException ended) {
                // one side closed
            }
            if (!link.cut) {
                quietly(link.client);
                quietly(link.upstream);
                links.remove(link);
            }
        }, "redis-proxy-" + (outbound ? "out" : "in"));
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() {
        quietly(server);
        for (Link link : links) {
            quietly(link.client);
            quietly(link.upstream);
        }
        links.clear();
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }
}
