package dev.iris.testsupport;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/** A real SMTP server (GreenMail) on a fixed loopback port, which tests may stop and start again. */
public final class Smtp {

    private static GreenMail server;
    private static int port;

    private Smtp() {
    }

    public static synchronized int start() {
        if (port == 0) {
            port = freePort();
        }
        if (server == null || !server.isRunning()) {
            server = new GreenMail(new ServerSetup(port, "127.0.0.1", "smtp"));
            server.start();
        }
        return port;
    }

    /** Stops accepting connections (messages received so far are dropped with the server). */
    public static synchronized void stop() {
        if (server != null) {
            server.stop();
        }
    }

    public static synchronized List<MimeMessage> messagesTo(String address) {
        if (server == null || !server.isRunning()) {
            return List.of();
        }
        return Arrays.stream(server.getReceivedMessages()).filter(m -> isTo(m, address)).toList();
    }

    /** Every message received since the server (re)started, from {@code index} on (for readers that keep up). */
    public static synchronized List<MimeMessage> receivedFrom(int index) {
        if (server == null || !server.isRunning()) {
            return List.of();
        }
        MimeMessage[] all = server.getReceivedMessages();
        return index >= all.length ? List.of() : Arrays.asList(all).subList(index, all.length);
    }

    /** Waits for at least {@code count} messages to {@code address} and returns them all. */
    public static List<MimeMessage> await(String address, int count, Duration timeout) {
        Poll.until(() -> messagesTo(address).size() >= count, timeout, count + " message(s) to " + address);
        return messagesTo(address);
    }

    public static LoginMail awaitLogin(String address) {
        return LoginMail.parse(await(address, 1, Duration.ofSeconds(20)).get(0));
    }

    private static boolean isTo(MimeMessage message, String address) {
        try {
            return Arrays.stream(message.getRecipients(Message.RecipientType.TO))
                    .anyMatch(a -> a.toString().equalsIgnoreCase(address));
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
