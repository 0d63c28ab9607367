package ai.dad.toolkit.cli;

import ai.dad.imaging.Png;
import ai.dad.imaging.RgbImage;
import ai.dad.toolkit.synth.AnomalySynthesizer;
import ai.dad.toolkit.synth.Sample;
import ai.dad.toolkit.synth.SynthWriter;
import ai.dad.toolkit.train.ImageFolders;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code dad synth}: writes synthesised training samples (image, mask and foreground PNGs) so a
 * person can see what the segmentation network learns from and where anomalies may land. Only
 * anomalous samples are written.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Write synthesised anomalies (image + mask + foreground PNGs) made from good images.")
public final class SynthCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "Good images (MVTec category or folder).")
    Path data;

    @Option(names = "--out", required = true, paramLabel = "DIR")
    Path out;

    @Option(names = "-n", defaultValue = "16", description = "How many samples (default: ${DEFAULT-VALUE}).")
    int count;

    @Option(names = "--textures", paramLabel = "DIR", description = "Anomaly-source images, e.g. DTD.")
    Path textures;

    @Option(names = "--image-size", defaultValue = "256")
    int size;

    @Option(names = "--category-type", defaultValue = "object", description = "object or texture.")
    String categoryType;

    @Option(names = "--foreground", defaultValue = ForegroundOption.AUTO, paramLabel = "auto|none|DIR",
            description = "Where anomalies are pasted: " + ForegroundOption.DESCRIPTION)
    String foreground;

    @Option(names = "--seed", defaultValue = "0")
    long seed;

    @Override
    public Integer call() throws Exception {
        List<Path> files = ImageFolders.goodTrainingImages(data);
        List<Path> textureFiles = textures == null ? List.of() : ImageFolders.images(textures);
        boolean isObject = !"texture".equals(categoryType);
        ForegroundOption foregrounds = new ForegroundOption(foreground, isObject);
        AnomalySynthesizer synthesizer = new AnomalySynthesizer(textureFiles, isObject, foregrounds.randomRegions());
        Random random = new Random(seed);
        Files.createDirectories(out);
        int written = 0;
        for (int tries = 0; written < count && tries < 20 * count; tries++) {
            Path file = files.get(random.nextInt(files.size()));
            RgbImage image = RgbImage.read(file, size);
            Sample sample = synthesizer.synthesize(image, foregrounds.forImage(file, image), random);
            if (sample.anomalous()) {
                String name = String.format(Locale.ROOT, "%04d", written);
                SynthWriter.write(sample, out.resolve(name + "_image.png"), out.resolve(name + "_mask.png"));
                float[] used = sample.foreground();
                if (used == null) {
                    used = new float[size * size];
                    Arrays.fill(used, 1f);
                }
                Png.writeGray(used, size, size, out.resolve(name + "_foreground.png"));
                written++;
            }
        }
        spec.commandLine().getOut().printf("wrote %d samples to %s%n", written, out);
        spec.commandLine().getOut().flush();
        return CommandLine.ExitCode.OK;
    }
}
