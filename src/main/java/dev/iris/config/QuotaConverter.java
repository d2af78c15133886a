package dev.iris.config;

import org.eclipse.microprofile.config.spi.Converter;

/**
 * Reads a {@link Quota} ({@code 5/5m}) from configuration, for {@code @WithConverter} on {@link IrisConfig}'s keys;
 * SmallRye names the key in the start-up error when a value does not parse.
 */
public class QuotaConverter implements Converter<Quota> {

    @Override
    public Quota convert(String value) {
        return value == null || value.isBlank() ? null : Quota.parse(value);
    }
}
