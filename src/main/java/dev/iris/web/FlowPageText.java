package dev.iris.web;

import dev.iris.selfservice.flow.FlowKind;

/**
 * What the built-in pages say for each flow that proves an address: the email form, the "check your email" form,
 * the link's confirmation page, and where the page's other link leads.
 */
record FlowPageText(String heading, String intro, String submitLabel, FlowKind other, String otherLabel,
                    String confirmHeading, String confirmVerb, String confirmButton) {

    static FlowPageText of(FlowKind kind) {
        return switch (kind) {
            case LOGIN -> new FlowPageText("Sign in", "We'll email you a sign-in link and a code. No password needed.",
                    "Send sign-in link", FlowKind.REGISTRATION, "New here? Create an account",
                    "Sign in", "signing in as", "Continue signing in");
            case REGISTRATION -> new FlowPageText("Create your account",
                    "We'll email you a link and a code to confirm your address.", "Send sign-up link",
                    FlowKind.LOGIN, "Already have an account? Sign in",
                    "Finish signing up", "signing up as", "Continue signing up");
            case RECOVERY -> new FlowPageText("Recover your account",
                    "Enter your account's email address. We'll email you a link and a code that sign you in, "
                            + "then you can review your sign-in methods.", "Send recovery link",
                    FlowKind.LOGIN, "Remembered how to get in? Sign in",
                    "Recover your account", "recovering the account of", "Recover my account");
            case VERIFICATION -> new FlowPageText("Verify your email address",
                    "We'll email you a link and a code to confirm the address is yours.", "Send verification link",
                    FlowKind.LOGIN, "Back to sign in",
                    "Verify your email address", "verifying", "Verify my address");
            case SETTINGS -> throw new IllegalArgumentException("settings has its own page");
        };
    }
}
