// tg.nn: modules, functional ops and losses.
export {};
