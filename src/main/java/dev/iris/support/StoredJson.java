package dev.iris.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.inject.Singleton;

/**
 * JSON that Iris keeps for itself — flows in Redis, a session's authentication methods in Postgres — never an API
 * body (those keep ISO-8601 times). Instants are written as decimal epoch seconds with nanoseconds instead of ISO
 * text: formatting and parsing ISO instants through {@code DateTimeFormatter} was ~6 % of a redeem's CPU (JFR), and
 * a flow is read and written on every submission. Reading accepts both forms, so values written by an older
 * instance stay readable during a rolling upgrade, and the other way round.
 */
@Singleton
public class StoredJson {

    private final ObjectMapper mapper;

    public StoredJson(ObjectMapper api) {
        this.mapper = api.copy()
                .enable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(SerializationFeature.WRITE_DATE_TIMESTAMPS_AS_NANOSECONDS);
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON of " + value.getClass().getSimpleName(), e);
        }
    }

    public <T> T read(String raw, Class<T> type) {
        try {
            return mapper.readValue(raw, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON of " + type.getSimpleName(), e);
        }
    }

    public <T> T read(String raw, TypeReference<T> type) {
        try {
            return mapper.readValue(raw, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored JSON of " + type.getType().getTypeName(), e);
        }
    }
}
