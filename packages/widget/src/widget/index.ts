import { ParleyComments } from './element';

/** The widget bundle's entry (dist/widget/widget.js): defines <parley-comments> once. */
if (!customElements.get('parley-comments')) customElements.define('parley-comments', ParleyComments);

export { ParleyComments };
