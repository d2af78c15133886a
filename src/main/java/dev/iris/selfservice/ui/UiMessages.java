package dev.iris.selfservice.ui;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * The texts of the Kratos ui messages Iris sends, by id ({@code m<id>}), for API clients that ask for a language with
 * Accept-Language; ids never change and UIs translate by id, so English stays as built where the message is made;
 * only ids listed here are translated, others stay English. {@code messages/ui_<language>.properties} translate them;
 * {@code BundlesCompleteTest} fails the build when a file lacks a key.
 * <p>
 * Each English text here renders exactly what Iris builds today for that id; a parameter is named as the
 * {@link UiText#context()} key it is read from. Not here, so always English:
 * <ul>
 * <li>4000001: Kratos's generic error; its text is a free-text {@code reason} (rate limits, "submitted too often",
 * passkey refusals, a failing pre-hook).</li>
 * <li>4000004: the rejected value is quoted in the text but not in the context (only {@code reason}).</li>
 * <li>4010001, 4040001, 4050001, 4060005, 4070005 (flow expired): the minutes since expiry ({@code %.2f}) are computed
 * from {@code expired_at} and the time of the request; they are not in the context.</li>
 * <li>1060001 (recovered): the minutes ({@code %.2f}) come from the privileged-session setting, not the context.</li>
 * <li>1080003: two different fixed texts (the verification flow's "code sent", and the settings address change's
 * "enter it to confirm the change").</li>
 * <li>1050006 (the authenticator secret), 1050009 and 1050015 (the backup codes): the text is the secret itself,
 * nothing to translate.</li>
 * <li>Messages of a pre-hook's answer: any id, with the hook's own text.</li>
 * </ul>
 */
@MessageBundle(value = "ui", locale = "en")
public interface UiMessages {

    @Message("Please complete the second authentication challenge.")
    String m1010004();

    @Message("Authentication code")
    String m1010006();

    @Message("Backup recovery code")
    String m1010007();

    @Message("Sign in with a hardware key")
    String m1010008();

    @Message("Use Authenticator")
    String m1010009();

    @Message("Use backup recovery code")
    String m1010010();

    @Message("An email containing a code has been sent to the email address you provided. If you have not received "
            + "an email, check the spelling of the address and make sure to use the address you registered with.")
    String m1010014();

    @Message("Send sign in code")
    String m1010015();

    @Message("Sign in with passkey")
    String m1010021();

    @Message("An email containing a code has been sent to the email address you provided. If you have not received "
            + "an email, check the spelling of the address and retry the registration.")
    String m1040005();

    @Message("Sign up with code")
    String m1040006();

    @Message("Sign up with passkey")
    String m1040007();

    @Message("Your changes have been saved!")
    String m1050001();

    @Message("Unlink TOTP Authenticator App")
    String m1050004();

    @Message("Authenticator app QR code")
    String m1050005();

    @Message("Generate new backup recovery codes")
    String m1050008();

    @Message("These are your back up recovery codes. Please keep them in a safe place!")
    String m1050010();

    @Message("Confirm backup recovery codes")
    String m1050011();

    @Message("Add security key")
    String m1050012();

    @Message("Name of the security key")
    String m1050013();

    @Message("Disable this method")
    String m1050016();

    @Message("This is your authenticator app secret. Use it if you can not scan the QR code.")
    String m1050017();

    @Message("Remove security key \"{display_name}\"")
    String m1050018(String display_name);

    @Message("Add passkey")
    String m1050019();

    @Message("Remove passkey \"{display_name}\"")
    String m1050020(String display_name);

    @Message("An email containing a recovery code has been sent to the email address you provided. If you have not "
            + "received an email, check the spelling of the address and make sure to use the address you registered "
            + "with.")
    String m1060003();

    @Message("E-Mail")
    String m1070002();

    @Message("Save")
    String m1070003();

    @Message("Verify code")
    String m1070006();

    @Message("Email")
    String m1070007();

    @Message("Resend code")
    String m1070008();

    @Message("Continue")
    String m1070009();

    @Message("Recovery code")
    String m1070010();

    @Message("Verification code")
    String m1070011();

    @Message("Registration code")
    String m1070012();

    @Message("Login code")
    String m1070013();

    @Message("You successfully verified your email address.")
    String m1080002();

    @Message("Property {property} is missing.")
    String m4000002(String property);

    @Message("The provided authentication code is invalid, please try again.")
    String m4000008();

    @Message("This account does not exist or has no security key set up.")
    String m4000015();

    @Message("The backup recovery code is not valid.")
    String m4000016();

    @Message("The provided traits do not match the traits previously associated with this flow.")
    String m4000036();

    @Message("The provided web authn login is invalid, please try again.")
    String m4000043();

    @Message("Could not find a strategy to log you in with. Did you fill out the form correctly?")
    String m4010002();

    @Message("Could not find a strategy to sign you up with. Did you fill out the form correctly?")
    String m4010003();

    @Message("Could not find a strategy to update your settings. Did you fill out the form correctly?")
    String m4010004();

    @Message("Could not find a strategy to recover your account with. Did you fill out the form correctly?")
    String m4010005();

    @Message("Could not find a strategy to verify your account with. Did you fill out the form correctly?")
    String m4010006();

    @Message("The login code is invalid or has already been used. Please try again.")
    String m4010008();

    @Message("The registration code is invalid or has already been used. Please try again.")
    String m4040003();

    @Message("The recovery code is invalid or has already been used. Please try again.")
    String m4060006();

    @Message("The verification code is invalid or has already been used. Please try again.")
    String m4070006();
}
