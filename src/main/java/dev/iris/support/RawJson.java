package dev.iris.support;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * JSON rendered once and embedded as is in a larger answer: a sign-in's session object is the same JSON the whoami
 * cache was just given, so it is not built and serialised a second time. Only for JSON this service rendered.
 */
@JsonSerialize(using = RawJson.Writer.class)
public record RawJson(String json) {

    /** Writes the value verbatim. */
    public static final class Writer extends StdSerializer<RawJson> {

        public Writer() {
            super(RawJson.class);
        }

        @Override
        public void serialize(RawJson value, JsonGenerator generator, SerializerProvider provider) throws IOException {
            generator.writeRawValue(value.json());
        }
    }
}
