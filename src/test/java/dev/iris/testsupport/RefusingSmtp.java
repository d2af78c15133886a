package dev.iris.testsupport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A minimal SMTP server that answers every {@code RCPT TO} with a permanent {@code 550} (mailbox unavailable),
 * the way a real relay refuses an address for good. It counts how often it was asked.
 */
public final class RefusingSmtp implements AutoCloseable {

    private final ServerSocket listener;
    private final AtomicInteger refusals = new AtomicInteger();

    public RefusingSmtp() {
        try {
            listener = new ServerSocket();
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        Thread acceptor = new Thread(this::accept, "refusing-smtp");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public int refusals() {
        return refusals.get();
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Thread session = new Thread(() -> talk(client), "refusing-smtp-session");
                session.setDaemon(true);
                session.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void talk(Socket client) {
        try (client; BufferedReader in = new BufferedReader(new InputStreamReader(client.getInputStream(),
                StandardCharsets.US_ASCII)); OutputStream raw = client.getOutputStream()) {
            PrintStream out = new PrintStream(raw, true, StandardCharsets.US_ASCII);
            reply(out, "220 refusing-smtp ready");
            String line;
            while ((line = in.readLine()) != null) {
                String command = line.length() >= 4 ? line.substring(0, 4).toUpperCase() : line.toUpperCase();
                switch (command) {
                    case "EHLO", "HELO" -> reply(out, "250 refusing-smtp");
                    case "MAIL" -> reply(out, "250 2.1.0 Ok");
                    case "RCPT" -> {
                        refusals.incrementAndGet();
                        reply(out, "550 5.1.1 Mailbox unavailable");
                    }
                    case "RSET", "NOOP" -> reply(out, "250 2.0.0 Ok");
                    case "QUIT" -> {
                        reply(out, "221 2.0.0 Bye");
                        return;
                    }
                    default -> reply(out, "503 5.5.1 Bad sequence of commands");
                }
            }
        } catch (IOException ignored) {
            // client went away
        }
    }

    private static void reply(PrintStream out, String line) {
        out.print(line + "\r\n");
        out.flush();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
