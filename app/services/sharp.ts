import type Sharp from 'sharp'

let loading: Promise<typeof Sharp> | undefined

/**
 * sharp (libvips), loaded on the first image rather than at boot: it adds
 * ~23 MB of resident memory to a process, and a Herald that only publishes
 * text never needs it (bench/soak.ts). Its operation cache is off: Herald
 * reads each image once, and libvips would otherwise keep up to 50 MB of
 * decoded pixels around for a repeat that never comes.
 */
export function loadSharp(): Promise<typeof Sharp> {
  loading ??= import('sharp').then(({ default: sharp }) => {
    sharp.cache(false)
    return sharp
  })
  return loading
}
