// Chart colours come from the page's CSS variables (src/index.css), so charts follow the light
// and dark themes. Canvas needs concrete colours: each variable is resolved once per theme to
// rgb() by painting one pixel (this accepts any CSS colour the browser knows, oklch included).

export interface ChartTheme {
  /** axis labels */
  text: string;
  /** grid lines and ticks */
  grid: string;
  /** the colour of series `index` (stable: the same index always gets the same colour) */
  series(index: number): string;
  /** `color` at `alpha` (0..1), for fills under lines */
  alpha(color: string, alpha: number): string;
}

const SERIES_VARIABLES = ["--chart-1", "--chart-2", "--chart-3", "--chart-4", "--chart-5"] as const;
const FALLBACK_SERIES = ["#0f9b8e", "#5b6ee1", "#d98e04", "#c2418c", "#4c9a2a"] as const;

type Rgb = readonly [number, number, number];
const resolved = new Map<string, Rgb>();
let probe: CanvasRenderingContext2D | null | undefined;

/** The sRGB bytes of any CSS colour (black when the browser cannot parse it). */
export function toRgb(color: string): Rgb {
  const cached = resolved.get(color);
  if (cached) return cached;
  probe ??= document.createElement("canvas").getContext("2d", { willReadFrequently: true });
  let rgb: Rgb = [0, 0, 0];
  if (probe) {
    probe.clearRect(0, 0, 1, 1);
    probe.fillStyle = "#000";
    probe.fillStyle = color;
    probe.fillRect(0, 0, 1, 1);
    const [r = 0, g = 0, b = 0] = probe.getImageData(0, 0, 1, 1).data;
    rgb = [r, g, b];
  }
  resolved.set(color, rgb);
  return rgb;
}

function rgba(color: string, alpha = 1): string {
  const [r, g, b] = toRgb(color);
  return alpha >= 1 ? `rgb(${r}, ${g}, ${b})` : `rgba(${r}, ${g}, ${b}, ${alpha})`;
}

/** Colours for series beyond the palette: golden-angle hues, distinct for dozens of cores. */
function generated(index: number): string {
  const hue = Math.round((index * 137.508 + 30) % 360);
  return `hsl(${hue} 62% 52%)`;
}

export function readChartTheme(root: HTMLElement = document.documentElement): ChartTheme {
  const style = getComputedStyle(root);
  const variable = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const palette = SERIES_VARIABLES.map((name, i) => rgba(variable(name, FALLBACK_SERIES[i] ?? "#888")));
  return {
    text: rgba(variable("--muted-foreground", "#666")),
    grid: rgba(variable("--border", "#ddd")),
    series: (index) => palette[index] ?? rgba(generated(index)),
    alpha: (color, alpha) => rgba(color, alpha),
  };
}

/** Calls `onChange` when the page switches between light and dark (the `dark` class on <html>). */
export function watchChartTheme(onChange: () => void, root: HTMLElement = document.documentElement): () => void {
  let dark = root.classList.contains("dark");
  const observer = new MutationObserver(() => {
    const now = root.classList.contains("dark");
    if (now !== dark) {
      dark = now;
      onChange();
    }
  });
  observer.observe(root, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}
