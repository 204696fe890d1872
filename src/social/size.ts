/** The card image's size: what Open Graph and Twitter's large card display without cropping. */
export const CARD_WIDTH = 1200;
export const CARD_HEIGHT = 630;
