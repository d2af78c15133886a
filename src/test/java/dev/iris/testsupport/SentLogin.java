package dev.iris.testsupport;

/** A login flow whose email has arrived: the flow id and the mail's code and link. */
public record SentLogin(String flow, String email, LoginMail mail) {
}
