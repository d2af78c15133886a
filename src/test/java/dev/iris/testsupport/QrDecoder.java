package dev.iris.testsupport;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.DecodeHintType;
import com.google.zxing.LuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Decodes the QR code Iris renders (an SVG data URI of unit squares) the way a phone would: the squares are
 * rasterised into a bitmap and read by ZXing. Nothing of Iris's own code is used to read it back.
 */
public final class QrDecoder {

    private static final Pattern VIEW_BOX = Pattern.compile("viewBox=\"0 0 (\\d+) (\\d+)\"");
    private static final Pattern MODULE = Pattern.compile("M(\\d+),(\\d+)h1v1h-1z");
    private static final int SCALE = 8;

    private QrDecoder() {
    }

    public static String decodeSvgDataUri(String dataUri) throws Exception {
        String prefix = "data:image/svg+xml;base64,";
        if (!dataUri.startsWith(prefix)) {
            throw new IllegalArgumentException("not an SVG data URI: " + dataUri.substring(0, Math.min(40, dataUri.length())));
        }
        String svg = new String(Base64.getDecoder().decode(dataUri.substring(prefix.length())), StandardCharsets.UTF_8);
        Matcher box = VIEW_BOX.matcher(svg);
        if (!box.find()) {
            throw new IllegalArgumentException("no viewBox");
        }
        int size = Integer.parseInt(box.group(1));
        int pixels = size * SCALE;
        byte[] luminance = new byte[pixels * pixels];
        java.util.Arrays.fill(luminance, (byte) 0xff);
        Matcher module = MODULE.matcher(svg);
        while (module.find()) {
            int x = Integer.parseInt(module.group(1));
            int y = Integer.parseInt(module.group(2));
            for (int dy = 0; dy < SCALE; dy++) {
                for (int dx = 0; dx < SCALE; dx++) {
                    luminance[(y * SCALE + dy) * pixels + x * SCALE + dx] = 0;
                }
            }
        }
        LuminanceSource source = new GreySource(pixels, luminance);
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(source)),
                Map.of(DecodeHintType.PURE_BARCODE, Boolean.TRUE)).getText();
    }

    private static final class GreySource extends LuminanceSource {
        private final byte[] data;

        GreySource(int size, byte[] data) {
            super(size, size);
            this.data = data;
        }

        @Override
        public byte[] getRow(int y, byte[] row) {
            byte[] out = row != null && row.length >= getWidth() ? row : new byte[getWidth()];
            System.arraycopy(data, y * getWidth(), out, 0, getWidth());
            return out;
        }

        @Override
        public byte[] getMatrix() {
            return data;
        }
    }
}
