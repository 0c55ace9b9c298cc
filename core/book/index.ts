/**
 * Order books: the L2 book (sorted Float64Array sides), the feed writer that applies venue frames
 * atomically, and the book walker (VWAP / fill cost).
 */
export { L2Book, type ApplyResult, type ChecksumHook, type ResyncReason, type TopOfBook } from "./book.ts";
export { applyEvents, type StoreEvent, type StoreEventKind } from "./apply.ts";
export { BookSideLevels } from "./side.ts";
export { Fill, walkBook, type SizeUnit, type TakerSide } from "./walk.ts";
export { FeedWriter, type WriterOptions } from "./writer.ts";
