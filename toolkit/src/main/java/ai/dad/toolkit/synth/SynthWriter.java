package ai.dad.toolkit.synth;

import ai.dad.imaging.Png;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Writes synthesised samples as 8-bit PNG files (an RGB image and a grey 0/255 mask), so the
 * synthetic anomalies can be looked at and checked by eye (the {@code dad synth} command).
 */
public final class SynthWriter {

    private SynthWriter() {
    }

    /** Writes the sample's image to {@code imageFile} and its mask to {@code maskFile}. */
    public static void write(Sample sample, Path imageFile, Path maskFile) throws IOException {
        Png.write(sample.image(), imageFile);
        Png.writeGray(sample.mask(), sample.image().width(), sample.image().height(), maskFile);
    }
}
