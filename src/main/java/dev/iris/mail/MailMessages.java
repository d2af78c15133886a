package dev.iris.mail;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Every user-facing string of the emails, in English; {@code messages/mail_<language>.properties} translate them
 * (German and French ship; {@code BundlesCompleteTest} fails when a file lacks a key). Templates use them as
 * {@code {mail:loginCodeIntro(appName)}}; a message is a Qute template itself, so plural forms are sections of the
 * message ({@code minutes == 1} in English and German, {@code minutes < 2} in French), never concatenated fragments.
 * A deployment overrides any message without rebuilding: see README, Languages.
 */
@MessageBundle(value = "mail", locale = "en")
public interface MailMessages {

    @Message("Hi,")
    String greeting();

    @Message("Or open this address:")
    String openAddress();

    @Message("This link expires in {minutes} {#if minutes == 1}minute{#else}minutes{/if}. "
            + "If you didn't request this, ignore this email.")
    String linkExpires(long minutes);

    @Message("Your sign-in link")
    String loginCodeSubject();

    @Message("Click below to sign in to {appName}:")
    String loginCodeIntro(String appName);

    @Message("Sign in to {appName}")
    String loginCodeButton(String appName);

    @Message("OR enter this code on the device you started signing in:")
    String loginCodeCodeLine();

    @Message("No account for this address")
    String loginUnknownSubject();

    @Message("Someone (hopefully you) tried to sign in to {appName} with this address, but there is no account for it. "
            + "To sign up, click below:")
    String loginUnknownIntro(String appName);

    @Message("Sign up for {appName}")
    String signUpButton(String appName);

    @Message("OR enter this code on the device you started signing up:")
    String signUpCodeLine();

    @Message("Your sign-up link")
    String registrationCodeSubject();

    @Message("Click below to finish signing up for {appName}:")
    String registrationCodeIntro(String appName);

    @Message("You already have an account")
    String registrationExistingSubject();

    @Message("Someone (hopefully you) tried to sign up for {appName} with this address, but you already have an "
            + "account. Click below to sign in to {appName}:")
    String registrationExistingIntro(String appName);

    @Message("Recover access to your account")
    String recoveryCodeSubject();

    @Message("Someone (hopefully you) asked to recover access to your {appName} account. Click below to sign in and "
            + "review your settings:")
    String recoveryCodeIntro(String appName);

    @Message("Recover my {appName} account")
    String recoveryCodeButton(String appName);

    @Message("OR enter this recovery code on the device you started recovering:")
    String recoveryCodeCodeLine();

    @Message("Verify your email address")
    String verificationCodeSubject();

    @Message("Click below to confirm this address for your {appName} account:")
    String verificationCodeIntro(String appName);

    @Message("Verify my address")
    String verificationCodeButton();

    @Message("OR enter this verification code on the device you started verifying:")
    String verificationCodeCodeLine();

    @Message("Confirm your new email address")
    String addressChangeCodeSubject();

    @Message("Someone (hopefully you) asked to use this address to sign in to {appName}. To confirm, enter this code "
            + "in your account settings:")
    String addressChangeCodeIntro(String appName);

    @Message("This code expires in {minutes} {#if minutes == 1}minute{#else}minutes{/if}. If you didn't ask for this, "
            + "ignore this email: nothing changes.")
    String addressChangeCodeExpires(long minutes);

    @Message("Your sign-in email address was changed")
    String addressChangedSubject();

    @Message("The email address you sign in to {appName} with was just changed, and this address no longer signs in "
            + "to that account.")
    String addressChangedBody(String appName);

    @Message("If this was you, there is nothing to do. If it wasn't, contact {appName}'s support right away.")
    String addressChangedAdvice(String appName);

    @Message("Failed second-factor sign-in attempts")
    String secondFactorFailingSubject();

    @Message("Someone signed in to {appName} with a link or code sent to this address, then entered wrong "
            + "authenticator-app codes several times in a row.")
    String secondFactorFailingBody(String appName);

    @Message("To protect your account, authenticator codes are refused "
            + "{#if minutes == 1}for the next minute{#else}for the next {minutes} minutes{/if}.")
    String secondFactorFailingLockedFor(long minutes);

    @Message("To protect your account, authenticator codes are now refused until you sign in with one of your backup "
            + "codes, or an administrator lifts the lock.")
    String secondFactorFailingLocked();

    @Message("If this was you, you can ignore this email. If it was not, someone can read your email: secure your "
            + "mailbox (change its password), then sign in to {appName} and review your sessions.")
    String secondFactorFailingAdvice(String appName);
}
