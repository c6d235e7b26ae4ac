// looplab: asyncio's toolbox for TypeScript. This barrel re-exports each concept's module; add your line, keep one per module.
