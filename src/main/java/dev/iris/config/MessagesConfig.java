package dev.iris.config;

import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code iris.messages.*}: a deployment's own wording, without a rebuild. A directory of properties files named as
 * the bundles' ({@code mail.properties} for English, {@code mail_de.properties}, {@code page_fr.properties},
 * {@code ui_de.properties} …), each holding only the keys it overrides; a file, key or parameter Iris does not know
 * fails the start.
 */
public interface MessagesConfig {

    /** The directory of overriding properties files; unset: none. */
    Optional<Path> overrides();
}
